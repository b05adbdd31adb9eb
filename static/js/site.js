/*
 * The site's only script, loaded once (deferred) by every page: one file, so that a page with
 * the reflection prompts still makes no more than 4 requests (docs/performance.md). Two
 * independent parts follow: quick exit (every page) and the reflection prompts (acts only
 * when its form is on the page). Each part only enhances what works without JavaScript.
 */

/*
 * Quick exit, enhanced. Without JavaScript the button is a plain link (inside a chat, a form
 * that ends the chat) and still works.
 * With it: the page is hidden at once, then the browser leaves by replacing it, so this
 * page's entry in the history is replaced by the neutral site and Back does not bring it back
 * (earlier pages stay in the history: the safe-browsing page says so). Inside a chat, the form
 * is sent in the background (keepalive: it finishes after we have left) and we leave the same
 * way. Pressing Shift three times (each within 5 seconds of the last, on its own, not as a
 * modifier) does the same; the page is shown again if the browser brings it back from its
 * back/forward cache.
 */
(function () {
  "use strict";
  if (typeof document === "undefined") {
    return; // loaded by node (tests/assessment/rules_harness.js): nothing to enhance
  }
  var button = document.getElementById("quick-exit");
  if (!button) {
    return;
  }
  var overlay = document.getElementById("quick-exit-overlay");
  var status = document.getElementById("quick-exit-status");
  var root = document.documentElement;
  var presses = 0;
  var lastPress = 0;
  var WINDOW_MS = 5000;

  function leave() {
    root.classList.add("is-exiting");
    if (overlay) {
      overlay.hidden = false;
    }
    if (status) {
      status.textContent = button.dataset.leaving || "";
    }
    if (button.form) {
      if (!endChatAndLeave(button.form)) {
        button.form.submit(); // one POST ends the chat, then the server sends us away
      }
      return;
    }
    window.location.replace(button.href);
  }

  // True when the chat's exit form was sent in the background and we have left.
  function endChatAndLeave(form) {
    var target = button.dataset.leaveTo;
    if (!target || typeof window.fetch !== "function" || typeof FormData !== "function") {
      return false;
    }
    try {
      window.fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        credentials: "same-origin",
        keepalive: true,
        redirect: "manual" // the answer's redirect is to the neutral site: not fetched here
      }).catch(function () {});
    } catch (error) {
      return false;
    }
    window.location.replace(target);
    return true;
  }

  button.addEventListener("click", function (event) {
    event.preventDefault();
    leave();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") {
      presses = 0;
      return;
    }
    if (event.repeat) {
      return;
    }
    var now = Date.now();
    presses = now - lastPress <= WINDOW_MS ? presses + 1 : 1;
    lastPress = now;
    if (presses >= 3) {
      presses = 0;
      leave();
    } else if (status) {
      status.textContent = presses === 1 ? button.dataset.pressTwo : button.dataset.pressOne;
    }
  });

  window.addEventListener("pageshow", function () {
    root.classList.remove("is-exiting");
    if (overlay) {
      overlay.hidden = true;
    }
    if (status) {
      status.textContent = "";
    }
    presses = 0;
  });
})();

/*
 * Reflection prompts, enhanced. Without JavaScript the form is POSTed and the server shows the
 * next steps. With it, the steps are computed here from the rules the page carries
 * (<script type="application/json" id="assessment-rules">, made by app/assessment/rules.py)
 * and nothing is sent: no request, no storage, no cookie. The texts of the steps are
 * server-rendered <template> elements; this script holds no text of its own.
 *
 * computeSteps must give exactly what next_steps() in app/assessment/rules.py gives:
 * tests/assessment/test_rules_parity.py runs every combination of answers through both.
 */
(function () {
  "use strict";

  function own(object, key) {
    return object !== null && typeof object === "object" &&
      Object.prototype.hasOwnProperty.call(object, key);
  }

  /*
   * The ids of the steps to show, most important first.
   * rules: {questions: [{id, options: [{value, flags}]}], steps: [{id, any_of, none_of}]}
   * answers: question id -> option value. Unknown questions or values, and values that are
   * not strings, are ignored (like "I'd rather not say").
   */
  function computeSteps(rules, answers) {
    var flags = Object.create(null);
    rules.questions.forEach(function (question) {
      if (!own(answers, question.id)) {
        return;
      }
      var value = answers[question.id];
      if (typeof value !== "string") {
        return;
      }
      for (var i = 0; i < question.options.length; i += 1) {
        if (question.options[i].value === value) {
          question.options[i].flags.forEach(function (flag) {
            flags[flag] = true;
          });
          return;
        }
      }
    });
    function raised(flag) {
      return flags[flag] === true;
    }
    return rules.steps.filter(function (step) {
      if (step.any_of.length > 0 && !step.any_of.some(raised)) {
        return false;
      }
      return !step.none_of.some(raised);
    }).map(function (step) {
      return step.id;
    });
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = { computeSteps: computeSteps };
  }
  if (typeof document === "undefined") {
    return;
  }

  var form = document.getElementById("assessment-form");
  var data = document.getElementById("assessment-rules");
  var result = document.getElementById("assessment-result");
  if (!form || !data || !result) {
    return;
  }
  var rules;
  try {
    rules = JSON.parse(data.textContent);
  } catch (error) {
    return; // the form keeps working the plain way
  }
  var list = document.getElementById("assessment-steps");
  var heading = document.getElementById("assessment-result-title");
  var restart = document.getElementById("assessment-restart");

  function readAnswers() {
    var answers = Object.create(null);
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.type === "radio" && field.checked) {
        answers[field.name] = field.value;
      }
    });
    return answers;
  }

  function buildSteps(ids) {
    var fragment = document.createDocumentFragment();
    ids.forEach(function (id) {
      var template = document.getElementById("assessment-step-" + id);
      if (!template || !template.content) {
        throw new Error("no template for a step");
      }
      fragment.appendChild(template.content.cloneNode(true));
    });
    return fragment;
  }

  function clear() {
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
  }

  function startAgain() {
    form.reset();
    clear();
    result.hidden = true;
    form.hidden = false;
  }

  form.addEventListener("submit", function (event) {
    var steps;
    try {
      steps = buildSteps(computeSteps(rules, readAnswers()));
    } catch (error) {
      // Something is wrong with this page's rules or templates: let the browser POST the
      // form instead, which the server answers without keeping anything.
      return;
    }
    event.preventDefault();
    clear();
    list.appendChild(steps);
    form.hidden = true;
    result.hidden = false;
    heading.focus();
  });

  if (restart) {
    restart.addEventListener("click", function () {
      startAgain();
      var first = form.querySelector("input");
      if (first) {
        first.focus();
      }
    });
  }

  // Leave no trace: a page kept in the back/forward cache comes back without the answers
  // (for example after quick exit, when someone else presses Back).
  window.addEventListener("pagehide", function (event) {
    if (event.persisted) {
      startAgain();
    }
  });
})();
