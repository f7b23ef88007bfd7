// A file picker in the page's language (intake/_file_field.html).
//
// Without JavaScript the styled label opens the browser's picker and the real
// input, still on screen, shows the chosen file's name. With JavaScript the
// real input is moved out of sight (it keeps the focus, its label and the
// keyboard) and the name of the chosen file is shown in the page's words.
// Nothing is read from the file and nothing is stored.
(function () {
  "use strict";
  var picks = document.querySelectorAll("[data-file-pick]");
  Array.prototype.forEach.call(picks, function (pick) {
    var input = pick.querySelector("input[type=file]");
    var shown = pick.querySelector("[data-file-name]");
    if (!input || !shown) { return; }
    var nothing = shown.textContent;
    function show() {
      shown.textContent = input.files && input.files.length ? input.files[0].name : nothing;
    }
    input.addEventListener("change", show);
    pick.classList.add("file-pick-enhanced");
    shown.hidden = false;
    show();
  });
}());
