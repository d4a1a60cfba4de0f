/* Nabij: small progressive enhancements. Pages work without this file. No inline scripts (CSP). */
(function () {
  "use strict";

  // Names in map data are inserted as text, never as HTML (Leaflet parses a string tooltip as HTML).
  function textContent(text) {
    var span = document.createElement("span");
    span.textContent = text == null ? "" : String(text);
    return span;
  }

  function initMap(el) {
    if (!window.L || el.dataset.mapReady) return;
    el.dataset.mapReady = "1";
    var source = document.getElementById(el.dataset.mapSource);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    // Leaflet finds its marker images relative to the CSS; with hashed static names it cannot.
    L.Icon.Default.prototype.options.imagePath = el.dataset.leafletImages || "/static/vendor/leaflet/images/";
    var map = L.map(el, { attributionControl: !!el.dataset.tiles, zoomSnap: 0.25 });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: "Kaartgegevens &copy; Kadaster / PDOK" }).addTo(map);
    }
    var linkTemplate = el.dataset.mapLink || "";
    var layer = L.geoJSON(data, {
      style: function (feature) {
        return feature.properties.water
          ? { color: "#1f5f9e", weight: 1, fillColor: "#9cc3e6", fillOpacity: 0.5 }
          : { color: "#00446e", weight: 2, fillColor: "#2f8fcf", fillOpacity: 0.18 };
      },
      onEachFeature: function (feature, lyr) {
        var p = feature.properties;
        lyr.bindTooltip(textContent(p.naam), { sticky: true });
        if (linkTemplate) {
          lyr.on("click", function () {
            window.location.href = linkTemplate.replace("CODE", encodeURIComponent(p.code));
          });
        }
      },
    }).addTo(map);
    var bounds = layer.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [12, 12] });
    } else {
      map.setView([52.2, 5.3], 7);
    }
    // The SVG map is decorative for screen readers: the table beside it carries the same list.
    var svg = el.querySelector("svg");
    if (svg) svg.setAttribute("aria-hidden", "true");
  }

  function initAll(root) {
    (root || document).querySelectorAll("[data-map-source]").forEach(initMap);
  }

  document.addEventListener("DOMContentLoaded", function () { initAll(document); });
  document.addEventListener("htmx:load", function (event) { initAll(event.target); });
})();
