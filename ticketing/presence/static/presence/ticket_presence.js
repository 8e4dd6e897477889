// Collision warning on a ticket's page: tell the server every few seconds that this agent is
// here (and whether they are typing), show who else is. A file, not an inline script: the
// admin's Content-Security-Policy runs no inline code.
(function () {
  "use strict";

  const box = document.querySelector("[data-guichet-presence]");
  if (!box) {
    return;
  }
  const list = box.querySelector("[data-guichet-presence-list]");
  const url = box.dataset.url;
  const csrfToken = box.dataset.csrfToken;
  const intervalMs = (parseInt(box.dataset.pollSeconds, 10) || 15) * 1000;
  // Typing means a keystroke in a text area within the last few seconds.
  const TYPING_MS = 10000;
  let lastInputAt = 0;

  function isTyping() {
    return Date.now() - lastInputAt < TYPING_MS;
  }

  function formData(leaving) {
    const data = new FormData();
    data.append("csrfmiddlewaretoken", csrfToken);
    data.append("typing", isTyping() ? "1" : "0");
    if (leaving) {
      data.append("leave", "1");
    }
    return data;
  }

  function show(lines) {
    list.replaceChildren(
      ...lines.map(function (text) {
        const item = document.createElement("li");
        item.textContent = text;
        return item;
      }),
    );
    box.hidden = lines.length === 0;
  }

  function tell() {
    fetch(url, { method: "POST", body: formData(false), credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (payload) {
        if (payload) {
          show(
            payload.others.map(function (other) {
              return other.text;
            }),
          );
        }
      })
      .catch(function () {
        // Offline for a moment: the next poll tries again.
      });
  }

  document.addEventListener("input", function (event) {
    if (!event.target.matches("textarea, [contenteditable]")) {
      return;
    }
    const wasTyping = isTyping();
    lastInputAt = Date.now();
    if (!wasTyping) {
      tell(); // colleagues learn at once that a reply is being written
    }
  });
  window.setInterval(tell, intervalMs);
  window.addEventListener("pagehide", function () {
    navigator.sendBeacon(url, formData(true));
  });
})();
