/*
 * The chat, enhanced. Without JavaScript the page shows a frame that long-polls the server.
 * With it, the frame is replaced by a live log fed by Server-Sent Events (same store, same
 * cursor), and messages are sent with fetch so the page does not reload. No storage, no
 * cookie: the token is read from the page's own form and never put in an address (the
 * stream's address holds a short-lived view pass). The texts come from data- attributes
 * written by the server; this script holds no text of its own.
 *
 * It also sends "typing now" from the reply box, on both sides: the visitor's and the
 * counsellor's (templates/staff/chat.html).
 */
(function () {
  "use strict";

  // "Typing now": when the text in `box` changes, POST `fields` (the visitor's token, or the
  // counsellor's CSRF token) to `url`, at most once per TYPING_EVERY_MS. Never the text
  // itself: nothing of a message leaves the browser before "send". The server forgets the
  // signal after a few seconds by itself (app/chat/store.py, Limits.typing_seconds).
  var TYPING_EVERY_MS = 4000;

  function signalTyping(box, url, fields, credentials) {
    var last = 0;
    box.addEventListener("input", function () {
      var moment = Date.now();
      if (!box.value || moment - last < TYPING_EVERY_MS) {
        return;
      }
      last = moment;
      fetch(url, {
        method: "POST",
        body: new URLSearchParams(fields),
        credentials: credentials,
        cache: "no-store"
      }).catch(function () {
        return null; // only a hint: a lost signal needs no message
      });
    });
  }

  // The counsellor's reply box: the staff session cookie and the form's CSRF token go with
  // it, as with the form itself.
  function counsellorTyping() {
    var reply = document.querySelector("form[data-typing-url]");
    if (reply && typeof fetch !== "undefined") {
      var fields = { csrf_token: reply.elements.csrf_token.value };
      signalTyping(reply.elements.message, reply.dataset.typingUrl, fields, "same-origin");
    }
  }

  function visitorChat() {
    var chat = document.getElementById("chat");
    if (!chat || typeof EventSource === "undefined" || typeof fetch === "undefined") {
      return;
    }
    var texts = chat.dataset;
    var frame = chat.querySelector(".chat__frame");
    var live = chat.querySelector(".chat__live");
    var log = chat.querySelector(".chat__log");
    var status = chat.querySelector(".chat__status");
    var sendForm = chat.querySelector(".chat__send");
    var viewForm = chat.querySelector(".chat__view");
    var feedback = chat.querySelector(".chat-feedback");
    var error = document.getElementById("chat-error");
    var typing = chat.querySelector(".chat__typing");

    frame.parentNode.removeChild(frame);
    live.hidden = false;

    function showError(message) {
      if (!error) {
        error = document.createElement("p");
        error.id = "chat-error";
        error.className = "form-error";
        error.setAttribute("role", "alert");
        sendForm.parentNode.insertBefore(error, sendForm);
      }
      error.textContent = message;
      error.hidden = !message;
    }

    function add(message) {
      var item = document.createElement("li");
      item.className = "chat__message chat__message--" + message.author;
      var who = document.createElement("span");
      who.className = "chat__who";
      item.appendChild(who);
      if (message.author === "system") {
        who.textContent = texts[message.text] || "";
      } else {
        who.textContent = message.author === "visitor" ? texts.you : texts.counsellor;
        var text = document.createElement("span");
        text.className = "chat__text";
        text.textContent = message.text;
        item.appendChild(text);
      }
      log.appendChild(item);
      item.scrollIntoView({ block: "nearest" });
    }

    // Each stream names the address to use next (a fresh view pass and the cursor): the old
    // address expires within a minute, so the script reconnects itself instead of the browser.
    var source = null;
    var next = null;
    var RECONNECT_MS = 2000;
    var delay = RECONNECT_MS;

    function connect(address) {
      next = null;
      source = new EventSource(address);
      source.addEventListener("pass", function (event) {
        next = JSON.parse(event.data);
      });
      // The server is busy: come back after the seconds it names, not at once.
      source.addEventListener("busy", function (event) {
        delay = Number(event.data) * 1000;
      });
      // This chat is open in another window or tab, whose stream now carries it.
      source.addEventListener("replaced", function () {
        source.close();
        status.textContent = texts.elsewhere;
      });
      source.addEventListener("error", function () {
        // CLOSED: the server answered with an error, for example 404 for an ended chat.
        if (source.readyState === EventSource.CLOSED) {
          status.textContent = texts.lost;
        } else if (next) {
          var address = next;
          source.close();
          window.setTimeout(function () {
            connect(address);
          }, delay);
          delay = RECONNECT_MS;
        }
      });
      source.addEventListener("message", function (event) {
        add(JSON.parse(event.data));
      });
      source.addEventListener("state", function (event) {
        var state = JSON.parse(event.data);
        typing.textContent = state.typing ? texts.typing : "";
        if (state.state === "waiting") {
          status.textContent = texts.position.replace("{position}", String(state.position));
        } else if (state.state === "active" && texts.state === "waiting" && viewForm) {
          source.close();
          viewForm.submit();
        } else if (state.state === "ended") {
          source.close();
          status.textContent = texts.ended;
          if (sendForm) {
            sendForm.hidden = true;
          }
          // The counsellor ended it, or it timed out: the two optional questions, with the
          // one-time key the server sent (none after quick exit, so none is shown then).
          if (state.feedback && feedback) {
            feedback.elements.feedback_key.value = state.feedback;
            feedback.hidden = false;
          }
        } else {
          status.textContent = "";
        }
      });
    }

    connect(texts.events);

    if (sendForm) {
      signalTyping(sendForm.elements.message, texts.typingUrl,
        { token: sendForm.elements.token.value }, "omit");
      sendForm.addEventListener("submit", function (event) {
        event.preventDefault();
        var box = sendForm.elements.message;
        fetch(sendForm.action, {
          method: "POST",
          body: new URLSearchParams(new FormData(sendForm)),
          headers: { Accept: "application/json" },
          credentials: "omit",
          cache: "no-store"
        }).then(function (response) {
          if (response.status === 204) {
            box.value = "";
            showError("");
            box.focus();
            return null;
          }
          var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
          if (!json) {
            showError(texts.failed); // the text stays in the box
            return null;
          }
          return response.json().then(function (data) {
            showError(data.error || texts.failed);
          });
        }).catch(function () {
          showError(texts.failed);
        });
      });
    }
  }

  counsellorTyping();
  visitorChat();
})();
