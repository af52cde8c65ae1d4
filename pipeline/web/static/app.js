// The page's own small behaviours (no inline script: the page's policy allows only this app's files).
document.addEventListener("focusin", function (event) {
  if (event.target.tagName === "TEXTAREA") { window.lastTextarea = event.target; }
});
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.figure");
  if (button) {
    var area = window.lastTextarea || document.querySelector("textarea[name=text]");
    if (!area) { return; }
    var quote = button.getAttribute("data-quote");
    var start = area.selectionStart, end = area.selectionEnd;
    area.value = area.value.slice(0, start) + quote + area.value.slice(end);
    area.focus();
    area.selectionStart = area.selectionEnd = start + quote.length;
    return;
  }
  var refresh = event.target.closest("#refresh-preview");
  if (refresh) {
    var frame = document.getElementById("preview");
    frame.src = frame.src.split("?")[0] + "?t=" + Date.now();
  }
});
document.addEventListener("input", function (event) {
  if (event.target.id !== "figure-filter") { return; }
  var word = event.target.value.trim();
  document.querySelectorAll("#figures li").forEach(function (item) {
    item.hidden = word !== "" && item.textContent.indexOf(word) < 0;
  });
});
