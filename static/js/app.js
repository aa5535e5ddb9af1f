/* Small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // Loaded in <head>, before the body: mark the page as scripted, so the stylesheet can fold the
  // workspace navigation behind its menu button on narrow screens. Without this the menu is shown.
  document.documentElement.classList.add("js");

  // The phone menu button (<button aria-expanded aria-controls>) opens and closes the navigation;
  // Escape closes it and gives the button its focus back.
  function setMenu(button, open) {
    var nav = document.getElementById(button.getAttribute("aria-controls"));
    if (!nav) return;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("is-open", open);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.nav-toggle");
    if (button) setMenu(button, button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var button = document.querySelector("button.nav-toggle[aria-expanded='true']");
    if (!button) return;
    setMenu(button, false);
    button.focus();
  });

  // Disclosure menus (<details class="menu">) close on Escape and on a click elsewhere.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });

  // After htmx swaps a section in, keep keyboard and screen-reader users in place: htmx itself puts
  // focus back on a control with the same id; if the answer has errors, go to the first field to
  // fix; if the focused control is gone (a removed row), go to the section's heading.
  document.addEventListener("htmx:load", function (event) {
    var root = event.detail.elt;
    if (root === document.body) return;
    setTimeout(function () {
      var invalid = root.querySelector("[aria-invalid='true']");
      if (invalid) {
        invalid.focus();
      } else if (document.activeElement === document.body || !document.activeElement) {
        var heading = root.querySelector("h2, h3");
        if (heading) {
          heading.setAttribute("tabindex", "-1");
          heading.focus();
        }
      }
    }, 0);
  });

  // An htmx request that fails (expired form, server error, network) would otherwise do nothing
  // visible: say so in the page's message region.
  function showProblem(text) {
    var region = document.getElementById("flash-messages");
    if (!region) return;
    var box = document.createElement("div");
    box.className = "alert alert-error";
    box.setAttribute("role", "alert");
    var p = document.createElement("p");
    p.textContent = text;
    box.appendChild(p);
    region.replaceChildren(box);
  }
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    showProblem(status === 400 || status === 403 || status === 404
      ? "That didn't work: the page may be out of date. Reload it and try again."
      : "Something went wrong on our side. Nothing was changed; please try again shortly.");
  });
  // Drag and drop inside a list marked [data-sortable] (the agenda): dropping an item on the upper
  // half of another puts it before that one, on the lower half after it. The dragged item's own move
  // form ([data-move-form], which carries the list's version) posts "before <id>" or "before end", so
  // the server's move operation decides and answers with the list as it is now. The Move buttons in
  // the same form do the same for keyboard users and without JavaScript.
  var dragged = null;
  function sortableItem(target) {
    var item = target && target.closest ? target.closest("[data-sortable] > [draggable='true']") : null;
    return item && dragged && item.parentNode === dragged.parentNode ? item : null;
  }
  function clearDropMarks() {
    document.querySelectorAll(".is-drop-before, .is-drop-after").forEach(function (el) {
      el.classList.remove("is-drop-before", "is-drop-after");
    });
  }
  document.addEventListener("dragstart", function (event) {
    var item = event.target.closest && event.target.closest("[data-sortable] > [draggable='true']");
    if (!item || !item.querySelector("form[data-move-form]")) return;
    dragged = item;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.id);
    item.classList.add("is-dragging");
  });
  document.addEventListener("dragover", function (event) {
    var over = sortableItem(event.target);
    if (!over) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    var rect = over.getBoundingClientRect();
    clearDropMarks();
    over.classList.add(event.clientY > rect.top + rect.height / 2 ? "is-drop-after" : "is-drop-before");
  });
  document.addEventListener("drop", function (event) {
    var over = sortableItem(event.target);
    if (!over) return;
    event.preventDefault();
    var rect = over.getBoundingClientRect();
    var target = event.clientY > rect.top + rect.height / 2 ? over.nextElementSibling : over;
    var form = dragged.querySelector("form[data-move-form]");
    if (target === dragged) return;
    form.querySelector("input[name='before']").value = target ? target.getAttribute("data-item-id") : "end";
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  });
  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("is-dragging");
    dragged = null;
    clearDropMarks();
  });

  // Drag and drop between the columns of a board ([data-board-column], the funding pipeline): dropping
  // a card on another column sets its own move form's status ([data-status-form] select) and submits it,
  // so the server decides. The form's select and Move button do the same by keyboard and without JS.
  var boardCard = null;
  function boardColumn(target) {
    return target && target.closest ? target.closest("[data-board-column]") : null;
  }
  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest("[data-board-column] [draggable='true']");
    if (!card || !card.querySelector("form[data-status-form]")) return;
    boardCard = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.id);
    card.classList.add("is-dragging");
  });
  document.addEventListener("dragover", function (event) {
    var column = boardCard && boardColumn(event.target);
    if (!column) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    document.querySelectorAll(".is-drop-target").forEach(function (el) { el.classList.remove("is-drop-target"); });
    column.classList.add("is-drop-target");
  });
  document.addEventListener("drop", function (event) {
    var column = boardCard && boardColumn(event.target);
    if (!column) return;
    event.preventDefault();
    var form = boardCard.querySelector("form[data-status-form]");
    var select = form.querySelector("select[name='status']");
    if (select.value === column.getAttribute("data-status")) return;
    select.value = column.getAttribute("data-status");
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  });
  document.addEventListener("dragend", function () {
    if (boardCard) boardCard.classList.remove("is-dragging");
    boardCard = null;
    document.querySelectorAll(".is-drop-target").forEach(function (el) { el.classList.remove("is-drop-target"); });
  });

  document.addEventListener("htmx:sendError", function () {
    showProblem("We couldn't reach Partnership Hub. Check your connection and try again.");
  });
})();
