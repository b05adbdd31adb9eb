/*
 * The chat's start form, enhanced: before the form is sent, the browser does a small proof of
 * work (app/chat/proof.py), so that one client cannot fill the queue and no address is needed
 * to stop it. It finds a number such that SHA-256("{start key}:{number}") begins with the
 * form's data-proof-bits zero bits, puts it in the hidden "proof" field, and sends the form.
 * Without JavaScript (or without WebCrypto) the form is sent as it is and still works.
 * No storage, no cookie; the text shown while working comes from the page.
 */
(function () {
  "use strict";
  var form = document.querySelector("form.chat-start");
  var subtle = window.crypto && window.crypto.subtle;
  if (!form || !subtle || typeof TextEncoder === "undefined") {
    return;
  }
  var bits = parseInt(form.dataset.proofBits, 10);
  var challenge = form.elements.start_key.value;
  var proof = form.elements.proof;
  var status = form.querySelector(".chat-start__status");
  var encoder = new TextEncoder();
  var BATCH = 256; // digests in flight at once: fast, and the page stays responsive
  var working = false;

  function enoughZeros(buffer) {
    var bytes = new Uint8Array(buffer);
    var whole = Math.floor(bits / 8);
    for (var i = 0; i < whole; i++) {
      if (bytes[i] !== 0) {
        return false;
      }
    }
    var rest = bits % 8;
    return rest === 0 || bytes[whole] >> (8 - rest) === 0;
  }

  function search(start) {
    var tries = [];
    for (var n = start; n < start + BATCH; n++) {
      tries.push(subtle.digest("SHA-256", encoder.encode(challenge + ":" + n)));
    }
    return Promise.all(tries).then(function (digests) {
      for (var i = 0; i < digests.length; i++) {
        if (enoughZeros(digests[i])) {
          return start + i;
        }
      }
      return search(start + BATCH);
    });
  }

  form.addEventListener("submit", function (event) {
    if (proof.value || !(bits > 0)) {
      return;
    }
    event.preventDefault();
    if (working) {
      return;
    }
    working = true;
    status.textContent = form.dataset.working;
    search(0).then(
      function (nonce) {
        proof.value = String(nonce);
        form.submit();
      },
      function () {
        form.submit(); // no proof: the start takes one of the places kept for that
      }
    );
  });
})();
