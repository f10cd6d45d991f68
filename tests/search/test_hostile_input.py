"""No input breaks a search endpoint: quotes, operators, `*`, `-`, NUL, 2 000 characters, emoji,
mixed scripts — never a 5xx, and markup typed into a query never comes back unescaped."""

from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from .conftest import reset_search_state

ENDPOINTS = ["/search/", "/api/search/", "/api/search/suggest/", "/api/facilities/"]
HOSTILE = [
    '"', '""', "'", "*", "-", "- -", "NOT", "AND OR", "NEAR(a b)", "title:x", "{title body}:x", "^x", "a*",
    "\x00", "\x00叶酸", "😀", "🧬👶", "叶酸\"", '"叶酸', "x" * 2000, "叶" * 2000, "𠀀𪚥", "\u200b\u202e叶酸",
    "<script>alert(1)</script>", "<mark>x</mark>", "%", "%%", "\\", "\\\"", ";DROP TABLE x;--", "() [] {}",
    "nipt\"唐筛*", "ＮＩＰＴ　產前診斷", "a" + "\u0301" * 50, "\r\n\t", "   ",
]
# Whatever people (or robots) type: every plane of Unicode, with the characters parsers care about.
queries = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
    st.text(alphabet=st.sampled_from('"\'*-+:^(){}[]\\ 叶酸唐筛yesuan0😀\x00<>&;'), max_size=40),
    st.text(max_size=2000, min_size=1000),
)


class HostileQueries(TestCase):
    @classmethod
    def setUpTestData(cls):
        from wagtail.models import Page, Site

        from content.base.models import StandardPage

        reset_search_state()
        home = Site.objects.get(is_default_site=True).root_page
        home.add_child(instance=StandardPage(title="备孕女性为什么要补叶酸", slug="folic",
                                             introduction="<b>叶酸</b> & 唐氏筛查"))
        assert Page.objects.filter(slug="folic").exists()

    def request(self, url, query, **extra):
        params = {"q": query, **extra}
        return self.client.get(url + "?" + urlencode(params, encoding="utf-8", errors="surrogatepass"))

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(query=queries, endpoint=st.sampled_from(ENDPOINTS))
    def test_no_server_error(self, query, endpoint):
        response = self.request(endpoint, query)
        self.assertLess(response.status_code, 500, (endpoint, query))
        if endpoint.startswith("/api/") and response.status_code == 200:
            response.json()

    def test_every_listed_hostile_input_on_every_endpoint(self):
        for endpoint in ENDPOINTS:
            for query in HOSTILE:
                response = self.request(endpoint, query)
                self.assertLess(response.status_code, 500, (endpoint, query))
        for endpoint in ("/search/", "/api/search/"):
            for query in HOSTILE[:12]:
                for extra in ({"page": "2"}, {"page": "99999999999"}, {"type": "resource"}):
                    response = self.request(endpoint, query, **extra)
                    self.assertLess(response.status_code, 500, (endpoint, query, extra))

    def test_bad_parameters_are_400_naming_them(self):
        response = self.client.get("/api/search/?q=x&type=nonsense")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["parameter"], "type")
        self.assertTrue(response.json()["error"].startswith("未知的类型：可用 resource"))
        response = self.client.get("/api/search/?q=x&page=abc")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["parameter"], "page")
        self.assertEqual(response.json()["error"], "page 必须是整数")
        # A page number out of range is brought within, as on the page.
        self.assertEqual(self.client.get("/api/search/?q=叶酸&page=0").json()["page"], 1)
        self.assertEqual(self.client.get("/api/search/?q=叶酸&page=99999999999").json()["page"], 1000)
        self.assertEqual(self.client.get("/search/?q=x&page=abc&type=nonsense").status_code, 200)

    def test_a_query_past_the_limit_is_searched_by_its_beginning(self):
        from search.params import MAX_TEXT

        response = self.client.get("/api/search/", {"q": "叶酸" + "啊" * 3000})
        self.assertEqual(response.status_code, 200)
        cut = self.client.get("/api/search/", {"q": ("叶酸" + "啊" * 3000)[:MAX_TEXT]}).json()
        self.assertEqual(response.json()["count"], cut["count"])

    def test_the_search_parameters_are_typed_in_the_openapi_schema(self):
        operation = self.client.get("/api/openapi.json").json()["paths"]["/api/search/"]["get"]
        parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
        self.assertEqual(parameters["page"]["type"], "integer")
        self.assertEqual(parameters["q"]["type"], "string")
        self.assertIn("resource", parameters["type"]["enum"])
        self.assertIn("facility", parameters["type"]["enum"])

    def test_markup_in_the_query_is_never_reflected(self):
        payload = '<script>alert("x")</script><img src=x onerror=alert(1)>叶酸'
        html = self.request("/search/", payload).content.decode()
        self.assertNotIn("<script>alert", html)
        self.assertNotIn("<img src=x", html)
        self.assertIn("&lt;script&gt;", html)
        data = self.request("/api/search/", payload).json()
        for result in data["results"]:
            self.assertNotIn("<script", result["snippet"])
            self.assertNotIn("<img", result["snippet"])
