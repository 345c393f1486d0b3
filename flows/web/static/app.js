// genelit review app: keyboard shortcuts and evidence focus. Hand-written, no dependencies; the pages
// work without it (every action is a plain form or link).
//   j / k   select the next / previous record (queue rows, paper cards)
//   Enter   open the selected queue row
//   a / r   accept / reject the selected record   e   edit it (opens its fields)
// The curator's name is remembered in this browser and copied into every record form.
(function () {
  "use strict";
  var CURATOR_KEY = "genelit.curator";
  var items = Array.prototype.slice.call(document.querySelectorAll(".item"));
  var current = -1;

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function focusEvidence(id) {
    document.querySelectorAll(".evidence.focus").forEach(function (el) { el.classList.remove("focus"); });
    var first = null;
    document.querySelectorAll(".evidence").forEach(function (el) {
      if ((el.getAttribute("data-records") || "").split(" ").indexOf(id) >= 0) {
        el.classList.add("focus");
        first = first || el;
      }
    });
    if (first) { first.scrollIntoView({block: "center"}); }
  }

  function select(index) {
    if (!items.length) { return; }
    index = Math.max(0, Math.min(items.length - 1, index));
    if (current >= 0) { items[current].classList.remove("selected"); }
    current = index;
    var item = items[current];
    item.classList.add("selected");
    item.scrollIntoView({block: "nearest"});
    var id = item.getAttribute("data-record");
    if (id) { focusEvidence(id); }
  }

  function selected() {
    if (current < 0) { select(0); }  // a / r / e with nothing selected act on the first record
    return items[current];
  }

  function submit(action) {
    var item = selected();
    if (!item) { return; }
    var form = item.querySelector("form.decision");
    var curator = form && form.querySelector(".curator-input");
    if (!form || !curator) { return; }
    if (!curator.value.trim()) {
      curator.focus();
      curator.setCustomValidity("Your name is needed for the audit trail");
      curator.reportValidity();
      return;
    }
    var button = form.querySelector("button." + action);
    if (button) { form.requestSubmit(button); }
  }

  function edit() {
    var item = selected();
    var details = item && item.querySelector("details.edit");
    if (!details) { return; }
    details.open = true;
    var field = details.querySelector("input, select");
    if (field) { field.focus(); }
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (typing(event.target)) {
      if (event.key === "Escape") { event.target.blur(); }
      return;
    }
    var key = event.key;
    if (key === "j") { select(current + 1); }
    else if (key === "k") { select(current - 1); }
    else if (key === "Enter" && items[current] && items[current].getAttribute("data-href")) {
      window.location.href = items[current].getAttribute("data-href");
    }
    else if (key === "a") { submit("accept"); }
    else if (key === "r") { submit("reject"); }
    else if (key === "e") { edit(); }
    else { return; }
    event.preventDefault();
  });

  // clicking a record card (not one of its controls) selects it and shows its evidence
  items.forEach(function (item, index) {
    item.addEventListener("click", function (event) {
      if (event.target.closest("a, button, input, select, summary, label")) { return; }
      if (item.getAttribute("data-href")) { window.location.href = item.getAttribute("data-href"); return; }
      select(index);
    });
  });
  document.querySelectorAll("a.to-evidence").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var card = link.closest(".item");
      select(items.indexOf(card));
    });
  });

  // one curator name for every form
  var inputs = Array.prototype.slice.call(document.querySelectorAll(".curator-input"));
  var remembered = window.localStorage ? window.localStorage.getItem(CURATOR_KEY) : null;
  inputs.forEach(function (input) {
    if (!input.value && remembered) { input.value = remembered; }
    input.addEventListener("input", function () {
      input.setCustomValidity("");
      inputs.forEach(function (other) { if (other !== input) { other.value = input.value; } });
      if (window.localStorage) { window.localStorage.setItem(CURATOR_KEY, input.value.trim()); }
    });
  });

  // after a decision the page comes back at that record: select it
  var hash = window.location.hash.replace(/^#record-/, "");
  if (hash) {
    items.forEach(function (item, index) { if (item.getAttribute("data-record") === hash) { select(index); } });
  }
}());
