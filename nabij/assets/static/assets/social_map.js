/* Sociale kaart map: buurt outlines without tiles, places as points. The page lists the same items. */
(function () {
  "use strict";

  function readJson(id) {
    var el = id && document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  // Names come from staff and imports: a tooltip gets them as text, never as HTML (Leaflet parses a string).
  function textContent(text) {
    var span = document.createElement("span");
    span.textContent = text == null ? "" : String(text);
    return span;
  }

  function initMap(el) {
    if (!window.L || el.dataset.mapReady) return;
    el.dataset.mapReady = "1";
    var outlines = readJson(el.dataset.outlines);
    var points = readJson(el.dataset.points);
    var map = L.map(el, { attributionControl: false, zoomSnap: 0.25 });
    var bounds = L.latLngBounds([]);
    if (outlines && outlines.features.length) {
      var areaLayer = L.geoJSON(outlines, {
        style: function () { return { color: "#00446e", weight: 2, fillColor: "#2f8fcf", fillOpacity: 0.12 }; },
        onEachFeature: function (feature, lyr) { lyr.bindTooltip(textContent(feature.properties.naam), { sticky: true }); },
      }).addTo(map);
      bounds.extend(areaLayer.getBounds());
    }
    var linkTemplate = el.dataset.placeLink || "";
    if (points && points.features.length) {
      var pointLayer = L.geoJSON(points, {
        pointToLayer: function (feature, latlng) {
          // Circle markers need no image files, so hashed static names cannot break them.
          return L.circleMarker(latlng, { radius: 8, color: "#ffffff", weight: 2, fillColor: "#b3261e", fillOpacity: 1 });
        },
        onEachFeature: function (feature, lyr) {
          var p = feature.properties;
          lyr.bindTooltip(textContent(p.naam + " (" + p.soort + ")"));
          if (linkTemplate) {
            lyr.on("click", function () { window.location.href = linkTemplate.replace("0", String(p.id)); });
          }
        },
      }).addTo(map);
      bounds.extend(pointLayer.getBounds());
    }
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [12, 12], maxZoom: 17 });
    } else {
      map.setView([52.2, 5.3], 7);
    }
    var svg = el.querySelector("svg");
    if (svg) svg.setAttribute("aria-hidden", "true");
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-social-map]").forEach(initMap);
  });
})();
