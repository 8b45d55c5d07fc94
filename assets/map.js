// Maps of reports at a place, over Leaflet (assets/leaflet). Every page
// with a map works without it: a report's place is also its street or its
// coordinates, typed; the staff's map draws the rows of the list beside it.
// So a map starts hidden and is shown only once Leaflet has drawn it.
//
// A map with data-lat-input and data-lng-input is a pin to place: a click
// (or tap) puts the pin there and fills in the two inputs; with a keyboard,
// the arrow keys move the map (Leaflet's own), + and - zoom, and the
// button after the map puts the pin in its centre, which a cross marks.
// Typing coordinates moves the pin. Each placing is announced.
//
// A map without them draws every table row with data-lat and data-lng on
// the page, each pin linking to the row's report.
(function () {
  "use strict";

  function num(s) {
    var v = parseFloat(String(s || "").replace(",", "."));
    return isFinite(v) ? v : null;
  }

  function fixed(v) { return (Math.round(v * 1e6) / 1e6).toFixed(6); }

  function icon(el) {
    return window.L.icon({
      iconUrl: el.dataset.icon, iconRetinaUrl: el.dataset.icon2x, shadowUrl: el.dataset.shadow,
      iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], shadowSize: [41, 41]
    });
  }

  function draw(el) {
    var L = window.L;
    // The zoom buttons are named in the page's language, not Leaflet's
    // English.
    var map = L.map(el, { keyboard: true, scrollWheelZoom: false, zoomControl: false });
    L.control.zoom({ zoomInTitle: el.dataset.zoomIn, zoomOutTitle: el.dataset.zoomOut }).addTo(map);
    L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);
    map.setView([num(el.dataset.lat), num(el.dataset.lng)], parseInt(el.dataset.zoom, 10) || 15);
    return map;
  }

  function pinMap(el) {
    var L = window.L;
    var lat = document.getElementById(el.dataset.latInput);
    var lng = document.getElementById(el.dataset.lngInput);
    var status = document.getElementById(el.id + "-status");
    if (!lat || !lng) { return; }
    var map = draw(el);
    var pin = null;
    var area = (el.dataset.area || "").split(",").map(num);

    function inArea(p) {
      return area.length !== 4 || area.indexOf(null) >= 0 ||
        (p.lat >= area[0] && p.lat <= area[2] && p.lng >= area[1] && p.lng <= area[3]);
    }

    function show(p) {
      if (pin) { pin.setLatLng(p); } else {
        pin = L.marker(p, { icon: icon(el), keyboard: false, alt: "" }).addTo(map);
      }
    }

    function place(p) {
      show(p);
      lat.value = fixed(p.lat);
      lng.value = fixed(p.lng);
      if (status) {
        status.textContent = el.dataset.placed.replace("{lat}", lat.value).replace("{lng}", lng.value);
      }
    }

    map.on("click", function (e) { place(e.latlng); });

    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button--secondary map-pin-here";
    button.id = el.id + "-pin-here";
    button.textContent = el.dataset.pinHere;
    button.addEventListener("click", function () { place(map.getCenter()); });
    el.parentNode.insertBefore(button, status);

    function fromInputs() {
      var y = num(lat.value), x = num(lng.value);
      if (y === null || x === null || y < -90 || y > 90 || x < -180 || x > 180) { return; }
      var p = L.latLng(y, x);
      show(p);
      if (inArea(p)) { map.setView(p, Math.max(map.getZoom(), 17)); }
    }
    lat.addEventListener("change", fromInputs);
    lng.addEventListener("change", fromInputs);
    fromInputs();
  }

  function listMap(el) {
    var L = window.L;
    var rows = document.querySelectorAll("tr[data-lat][data-lng]");
    var map = draw(el);
    var bounds = [];
    rows.forEach(function (row) {
      var p = [num(row.dataset.lat), num(row.dataset.lng)];
      var link = row.querySelector("a");
      if (p[0] === null || p[1] === null || !link) { return; }
      var m = L.marker(p, { icon: icon(el), title: link.textContent, alt: link.textContent }).addTo(map);
      var a = document.createElement("a");
      a.href = link.href;
      a.textContent = link.textContent;
      m.bindPopup(a);
      bounds.push(p);
    });
    if (bounds.length > 0) { map.fitBounds(bounds, { maxZoom: 17, padding: [20, 20] }); }
  }

  function start() {
    if (!window.L) { return; }
    document.querySelectorAll(".map[data-tiles]").forEach(function (el) {
      var block = document.getElementById(el.id + "-block");
      if (block) { block.hidden = false; }
      try {
        if (el.dataset.latInput) { pinMap(el); } else { listMap(el); }
      } catch (e) {
        if (block) { block.hidden = true; }
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
