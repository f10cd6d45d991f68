// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Feature modules register themselves on window.portal.
  window.portal = window.portal || {};
})();
