// The facility finder without JavaScript is a plain form; this file only enhances it:
// the city and district lists follow the province in place, 「离我最近」 uses the browser's
// location, and the facility page gets print, share and (when tiles are configured) a map.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var filters = document.querySelector("[data-filters]");
  if (filters && window.matchMedia && window.matchMedia("(min-width: 64rem)").matches) {
    filters.open = true;  // wide screens keep the filters above the list; phones fold them
  }

  var form = document.querySelector(".finder-form");
  if (form) {
    var regionsUrl = form.getAttribute("data-regions-url");
    var selects = {
      province: form.querySelector("[data-level=province]"),
      city: form.querySelector("[data-level=city]"),
      district: form.querySelector("[data-level=district]")
    };
    var fill = function (select, parent) {
      var first = select.options[0];
      select.innerHTML = "";
      select.appendChild(first);
      if (!parent) { return Promise.resolve(); }
      return fetch(regionsUrl + "?parent=" + encodeURIComponent(parent), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          data.results.forEach(function (region) {
            if (!region.facility_count) { return; }
            var option = document.createElement("option");
            option.value = region.code;
            option.textContent = region.name + "（" + region.facility_count + "）";
            select.appendChild(option);
          });
        })
        .catch(function () { /* the lists stay as the server sent them */ });
    };
    if (selects.province && selects.city && selects.district) {
      selects.province.addEventListener("change", function () {
        fill(selects.city, selects.province.value);
        fill(selects.district, "");
      });
      selects.city.addEventListener("change", function () { fill(selects.district, selects.city.value); });
    }

    var locate = form.querySelector("[data-locate]");
    var near = form.querySelector("[data-near]");
    var status = form.querySelector("[data-locate-status]");
    if (locate && near && "geolocation" in navigator) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        status.textContent = "正在获取您的位置…";
        navigator.geolocation.getCurrentPosition(function (position) {
          near.value = position.coords.latitude.toFixed(5) + "," + position.coords.longitude.toFixed(5);
          var distance = form.querySelector("input[name=sort][value=distance]");
          if (distance) { distance.checked = true; }
          form.submit();
        }, function () {
          // Without the browser's location, the chosen district's centre is used.
          near.value = "";
          status.textContent = "无法获取您的位置，将按所选地区的中心点计算距离。";
          var distance = form.querySelector("input[name=sort][value=distance]");
          if (distance) { distance.checked = true; }
          form.submit();
        }, { timeout: 10000, maximumAge: 600000 });
      });
    }
    // A location only applies to distance order: choosing "best match" forgets it.
    form.addEventListener("submit", function () {
      var distance = form.querySelector("input[name=sort][value=distance]");
      if (near && distance && !distance.checked) { near.value = ""; }
    });
  }

  var printButton = document.querySelector("[data-print]");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", function () { window.print(); });
  }
  var share = document.querySelector("[data-share]");
  if (share) {
    share.hidden = false;
    share.addEventListener("click", function () {
      var data = { title: share.getAttribute("data-share-title"), url: share.getAttribute("data-share-url") };
      if (navigator.share) {
        navigator.share(data).catch(function () {});
      } else if (navigator.clipboard) {
        navigator.clipboard.writeText(data.url).then(function () { share.textContent = "链接已复制"; });
      }
    });
  }

  var tiles = function (element, map) {
    window.L.tileLayer(element.getAttribute("data-tiles"), {
      attribution: element.getAttribute("data-attribution") || "", maxZoom: 18,
      subdomains: element.getAttribute("data-subdomains") || "abc"
    }).addTo(map);
  };

  // The finder's list/map toggle (only rendered when a tile source is configured).
  var view = document.querySelector("[data-finder-view]");
  var finderMap = document.getElementById("finder-map-canvas");
  var list = document.querySelector(".facility-list");
  if (view && finderMap && list && window.L) {
    view.hidden = false;
    var drawn = null;
    view.addEventListener("click", function (event) {
      var button = event.target.closest("[data-view]");
      if (!button) { return; }
      var showMap = button.getAttribute("data-view") === "map";
      view.querySelectorAll("[data-view]").forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
      finderMap.hidden = !showMap;
      list.hidden = showMap;
      if (showMap && !drawn) {
        var points = JSON.parse(document.getElementById("finder-map-points").textContent);
        drawn = window.L.map(finderMap);
        tiles(finderMap, drawn);
        var bounds = [];
        points.forEach(function (p) {
          var link = document.createElement("a");
          link.href = p.url;
          link.textContent = p.name;
          window.L.marker([p.lat, p.lng], { title: p.name }).addTo(drawn).bindPopup(link);
          bounds.push([p.lat, p.lng]);
        });
        drawn.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
      }
    });
  }

  var mapElement = document.getElementById("facility-map-canvas");
  if (mapElement && window.L) {
    var lat = parseFloat(mapElement.getAttribute("data-lat"));
    var lng = parseFloat(mapElement.getAttribute("data-lng"));
    var map = window.L.map(mapElement).setView([lat, lng], 15);
    tiles(mapElement, map);
    window.L.marker([lat, lng], { title: mapElement.getAttribute("data-name") }).addTo(map);
  } else if (mapElement) {
    mapElement.hidden = true;
  }
})();
