/* global window, document, fetch, URLSearchParams, requirejs */
/*
 * Plays amoCRM for the built widget: loads script.js through RequireJS,
 * gives the widget object amoCRM's methods and calls its callbacks on the
 * card and in the settings modal (reference amocrm §5.3, §5.4).
 * One function wraps it all so that none of its names lands in the page's
 * globals, where amoCRM's own live.
 */
(function () {
  "use strict";

  var config = JSON.parse(
    document.getElementById("harness-config").textContent,
  );
  var base = config.base;
  var query = new URLSearchParams(window.location.search);
  var byId = document.getElementById.bind(document);
  var state = {
    options: null,
    messages: {},
    widget: null,
    Widget: null,
    $: null,
  };

  requirejs.config({ paths: { jquery: base + "/vendor/jquery" } });

  function getJson(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + " answered " + response.status);
      return response.json();
    });
  }

  function status(text) {
    byId("harness-status").textContent = text;
  }

  function chosenUser() {
    var id = Number(byId("harness-user").value);
    return state.options.users.find(function (user) {
      return user.id === id;
    });
  }

  function chosenDealId() {
    var typed = byId("harness-deal-id").value;
    return Number(typed !== "" ? typed : byId("harness-deal").value);
  }

  /** $authorizedAjax: a fresh one-time token per request, as amoCRM does. */
  function authorizedAjax(options) {
    var $ = state.$;
    var user = chosenUser();
    return $.ajax({
      url: base + "/disposable-token",
      method: "POST",
      contentType: "application/json",
      dataType: "json",
      data: JSON.stringify({ userId: user.id, isAdmin: user.isAdmin }),
    }).then(function (reply) {
      var headers = $.extend({}, options.headers, {
        "X-Auth-Token": reply.token,
      });
      return $.ajax($.extend({}, options, { headers: headers }));
    });
  }

  function hostMethods() {
    return {
      params: {
        widget_code: "amo1c",
        path: base + "/widget",
        version: "harness",
      },
      get_settings: function () {
        return { backend_url: config.backendUrl, widget_code: "amo1c" };
      },
      system: function () {
        return {
          area: "lcard",
          lang: byId("harness-lang").value,
          domain: state.options.domain,
          amouser_id: chosenUser().id,
        };
      },
      i18n: function (group) {
        return state.messages[group];
      },
      render_template: function (options) {
        var panel = byId("harness-card-panel");
        panel.innerHTML =
          '<div class="harness-widget ' +
          options.caption.class_name +
          '">' +
          '<div class="harness-widget__caption">amo1c</div>' +
          options.body +
          options.render +
          "</div>";
      },
      $authorizedAjax: authorizedAjax,
    };
  }

  /** A new widget object per page area, as with init_once false. */
  function freshWidget() {
    if (state.widget !== null) state.widget.callbacks.destroy();
    var Widget = state.Widget;
    var methods = hostMethods();
    Object.keys(methods).forEach(function (name) {
      Widget.prototype[name] = methods[name];
    });
    state.widget = new Widget();
    return state.widget;
  }

  function setPage(dealId) {
    var page = {
      lang_id: byId("harness-lang").value,
      data: { current_card: { id: dealId } },
      getBaseEntity: function () {
        return "leads";
      },
      isCard: function () {
        return true;
      },
    };
    window.APP = page;
    window.AMOCRM = page;
  }

  function loadMessages() {
    return getJson(
      base + "/widget/i18n/" + byId("harness-lang").value + ".json",
    ).then(function (messages) {
      state.messages = messages;
    });
  }

  function openCard() {
    var dealId = chosenDealId();
    return loadMessages().then(function () {
      byId("harness-modal").hidden = true;
      byId("harness-card-title").textContent = "Deal " + dealId;
      setPage(dealId);
      var callbacks = freshWidget().callbacks;
      callbacks.render();
      callbacks.init();
      callbacks.bind_actions();
      status("deal " + dealId + ", user " + chosenUser().name);
    });
  }

  function openSettings() {
    return loadMessages().then(function () {
      var modal = byId("harness-modal");
      modal.hidden = false;
      byId("harness-backend-url").value = config.backendUrl;
      setPage(0);
      freshWidget().callbacks.settings(state.$(modal));
      status("settings, user " + chosenUser().name);
    });
  }

  function fillSelect(select, items, label) {
    items.forEach(function (item) {
      var option = document.createElement("option");
      option.value = String(item.id);
      option.textContent = label(item);
      select.appendChild(option);
    });
  }

  function fillControls() {
    var options = state.options;
    fillSelect(byId("harness-deal"), options.leads, function (lead) {
      return lead.id + " · " + lead.name;
    });
    fillSelect(byId("harness-user"), options.users, function (user) {
      return user.name + (user.isAdmin ? " (admin)" : "");
    });
    var admin = options.users.find(function (user) {
      return user.isAdmin;
    });
    if (admin) byId("harness-user").value = String(admin.id);
    if (query.get("user")) byId("harness-user").value = query.get("user");
    if (query.get("deal")) byId("harness-deal-id").value = query.get("deal");
    if (query.get("lang")) byId("harness-lang").value = query.get("lang");
  }

  function start($, Widget) {
    state.$ = $;
    state.Widget = Widget;
    getJson(base + "/card-options.json")
      .then(function (options) {
        state.options = options;
        fillControls();
        byId("harness-open-card").onclick = openCard;
        byId("harness-open-settings").onclick = openSettings;
        return query.get("view") === "settings" ? openSettings() : openCard();
      })
      .catch(function (error) {
        status("harness failed: " + error.message);
      });
  }

  // Like amoCRM: RequireJS loads script.js; its UMD wrapper calls define().
  requirejs(["jquery", base + "/widget/script.js"], start, function (error) {
    status("could not load the widget: " + error.message);
  });
})();
