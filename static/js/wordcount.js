// Live word count for a textarea with data-wordcount="<id of the element that shows it>".
// Progressive enhancement: without this script the page shows the count saved last time.
(function () {
  "use strict";

  function countWords(text) {
    var words = text.trim().split(/\s+/);
    return words[0] === "" ? 0 : words.length;
  }

  function describe(count, asked) {
    var text = count + (count === 1 ? " word" : " words");
    if (asked && count < asked) {
      text += " (" + (asked - count) + " more to reach " + asked + ")";
    }
    return text + ".";
  }

  function attach(area) {
    var output = document.getElementById(area.getAttribute("data-wordcount"));
    var asked = parseInt(area.getAttribute("data-words-asked"), 10) || 0;
    if (!output) {
      return;
    }
    var timer = null;
    area.addEventListener("input", function () {
      // Wait for a pause in typing, so a screen reader is not interrupted on every key.
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        output.textContent = describe(countWords(area.value), asked);
      }, 400);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var areas = document.querySelectorAll("textarea[data-wordcount]");
    for (var i = 0; i < areas.length; i += 1) {
      attach(areas[i]);
    }
  });
})();
