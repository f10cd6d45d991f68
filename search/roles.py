from content.base.roles import EDITOR

# Editors keep the synonym list, see what people search for, and promote results for a query.
ROLE_PERMISSIONS = {
    EDITOR: [
        "portal_search.add_synonymgroup", "portal_search.change_synonymgroup",
        "portal_search.delete_synonymgroup", "portal_search.view_synonymgroup",
        "portal_search.view_searchmiss",
        "wagtailsearchpromotions.add_searchpromotion", "wagtailsearchpromotions.change_searchpromotion",
        "wagtailsearchpromotions.delete_searchpromotion",
    ],
}
