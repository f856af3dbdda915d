/*
 * The web chat embed: <script src="https://<server>/webchat.js" data-channel="<channelId>" async></script>
 * adds a "Chat with us" button to any page; it opens the chat of that channel in a frame served
 * by the same server as this script. Plain script, no dependencies; its styles live in a shadow
 * root so the host page's CSS neither breaks it nor is touched by it.
 */
(function () {
  'use strict';
  var script = document.currentScript || document.querySelector('script[data-channel][src*="webchat.js"]:not([data-webchat-ready])');
  if (!script) return;
  script.setAttribute('data-webchat-ready', '');
  var channel = script.getAttribute('data-channel');
  if (!channel) {
    console.error('webchat.js: add data-channel="<channel id>" to the script tag');
    return;
  }
  var server = new URL(script.src, window.location.href).origin;

  var randomId = function () {
    if (window.crypto.randomUUID) return window.crypto.randomUUID();
    // Pages served over plain http have no randomUUID; 128 random bits in hex do as well.
    return Array.from(window.crypto.getRandomValues(new Uint8Array(16)), function (byte) {
      return byte.toString(16).padStart(2, '0');
    }).join('');
  };

  /**
   * The visitor's contact id is kept by this site, not by the chat's frame: browsers that block
   * third-party storage would otherwise start a new conversation on every visit.
   */
  var contactId = function () {
    var key = 'webchat.contact.' + channel;
    try {
      var kept = window.localStorage.getItem(key);
      if (kept) return kept;
      var fresh = randomId();
      window.localStorage.setItem(key, fresh);
      return fresh;
    } catch (refused) {
      return null;
    }
  };

  var chatUrl = function () {
    var url = server + '/chat/' + encodeURIComponent(channel);
    var contact = contactId();
    return contact === null ? url : url + '?contact=' + encodeURIComponent(contact);
  };

  var host = document.createElement('div');
  host.setAttribute('data-webchat-channel', channel);
  var root = host.attachShadow({ mode: 'open' });
  root.innerHTML =
    '<style>' +
    ':host { all: initial; position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; font-family: system-ui, sans-serif; }' +
    '.launcher { display: block; margin-left: auto; border: 0; border-radius: 999px; padding: 12px 20px; background: #1f55c7; color: #fff; font: 600 15px system-ui, sans-serif; cursor: pointer; box-shadow: 0 4px 14px rgba(0,0,0,.25); }' +
    '.launcher:focus-visible { outline: 3px solid #7aa2f7; outline-offset: 2px; }' +
    '.panel { width: min(380px, calc(100vw - 40px)); height: min(560px, calc(100vh - 100px)); margin-bottom: 12px; border-radius: 12px; overflow: hidden; box-shadow: 0 10px 40px rgba(0,0,0,.3); background: #fff; }' +
    '.panel[hidden] { display: none; }' +
    'iframe { width: 100%; height: 100%; border: 0; display: block; }' +
    '</style>' +
    '<div class="panel" id="webchat-panel" hidden></div>' +
    '<button type="button" class="launcher" aria-expanded="false" aria-controls="webchat-panel">Chat with us</button>';
  var panel = root.querySelector('.panel');
  var launcher = root.querySelector('.launcher');
  var frame = null;
  var frameLoaded = false;

  var setOpen = function (open) {
    if (open && frame === null) {
      // The frame is made on first open: a page that never opens the chat never loads it.
      frame = document.createElement('iframe');
      frame.src = chatUrl();
      frame.title = 'Chat';
      // Focus given before the chat has loaded would be lost: it is given once it has.
      frame.addEventListener('load', function () {
        frameLoaded = true;
        if (!panel.hidden) frame.focus();
      });
      panel.appendChild(frame);
    }
    panel.hidden = !open;
    launcher.setAttribute('aria-expanded', String(open));
    launcher.textContent = open ? 'Close chat' : 'Chat with us';
    if (open && frameLoaded) frame.focus();
  };

  var close = function () {
    if (panel.hidden) return;
    setOpen(false);
    launcher.focus();
  };

  launcher.addEventListener('click', function () {
    setOpen(panel.hidden);
  });
  root.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') close();
  });
  // Keys pressed in the chat stay in its frame: the chat asks to be closed on Escape.
  window.addEventListener('message', function (event) {
    if (frame !== null && event.source === frame.contentWindow && event.origin === server && event.data && event.data.webchat === 'close') {
      close();
    }
  });

  // An async script may run before the body is parsed.
  if (document.body) document.body.appendChild(host);
  else
    document.addEventListener('DOMContentLoaded', function () {
      document.body.appendChild(host);
    });
})();
