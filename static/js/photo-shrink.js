/* Shrink photos on the phone before they are uploaded (forms with data-shrink-photos).
 *
 * A phone photo is 3–8 MB; the server keeps at most 2000 px a side anyway (jianfu/cases/photos.py).
 * Redrawn at that size as a JPEG it is a few hundred KB: less of a family's data plan, a shorter
 * upload on a weak connection (a slow upload holds a server thread: docs/decisions/0022), and the
 * location and camera details in the original file never leave the phone. Wherever something is
 * missing (an old WebView), or the browser would not turn a photo upright by its EXIF orientation
 * when drawing it, the originals are sent unchanged and the server still strips them.
 */
(function () {
  "use strict";
  var MAX_SIDE = 2000, QUALITY = 0.85, SMALL = 400 * 1024;
  var able = !!(window.HTMLCanvasElement && HTMLCanvasElement.prototype.toBlob && window.DataTransfer &&
    window.URL && URL.createObjectURL && window.CSS && CSS.supports &&
    CSS.supports("image-orientation", "from-image"));

  function shrink(file) {
    return new Promise(function (resolve) {
      if (!/^image\//.test(file.type) || file.size <= SMALL) { resolve(file); return; }
      var url = URL.createObjectURL(file), img = new Image();
      img.onload = function () {
        var scale = Math.min(1, MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(img.naturalWidth * scale);
        canvas.height = Math.round(img.naturalHeight * scale);
        canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) { resolve(file); return; }
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg" }));
        }, "image/jpeg", QUALITY);
      };
      img.onerror = function () { URL.revokeObjectURL(url); resolve(file); };
      img.src = url;
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!able || !form.hasAttribute("data-shrink-photos") || form.dataset.shrunk === "1") { return; }
    var inputs = form.querySelectorAll("input[type=file]");
    var pending = [];
    inputs.forEach(function (input) { if (input.files && input.files.length) { pending.push(input); } });
    if (!pending.length) { return; }
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) {
      button.dataset.label = button.dataset.label || button.textContent;
      button.disabled = true;
      button.textContent = "正在处理照片…";
    }
    Promise.all(pending.map(function (input) {
      return Promise.all(Array.prototype.map.call(input.files, shrink)).then(function (files) {
        var dt = new DataTransfer();
        files.forEach(function (f) { dt.items.add(f); });
        input.files = dt.files;
      });
    })).catch(function () { /* send what the inputs hold */ }).then(function () {
      form.dataset.shrunk = "1";
      // The button stays off while the form goes up: a second tap would only send it again (the
      // server answers a resent form with the same receipt, but the upload would start over).
      if (button) { button.textContent = "正在提交…"; }
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    });
  });

  // Back to the form from the next page (the browser's page cache): usable again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-shrink-photos]").forEach(function (form) {
      delete form.dataset.shrunk;
      var button = form.querySelector("button[type=submit]");
      if (button && button.dataset.label) { button.textContent = button.dataset.label; }
      if (button) { button.disabled = false; }
    });
  });
})();
