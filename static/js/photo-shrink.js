/* Redraw photos on the phone before they are uploaded (forms with data-shrink-photos).
 *
 * A phone photo is 3–8 MB; the server keeps at most 2000 px a side anyway (jianfu/cases/photos.py).
 * Redrawn at that size as a JPEG it is a few hundred KB: less of a family's data plan, a shorter
 * upload on a weak connection (a slow upload holds a server thread: docs/decisions/0022). Every
 * photo (JPEG, HEIC, WebP) is redrawn, whatever its size, so its location and camera details stay on
 * the phone. Screenshots and other images (PNG, GIF) go as they are: text stays sharp. Wherever
 * something is missing (an old WebView), or the browser would not turn a photo upright by its EXIF
 * orientation when drawing it, or anything fails or takes over 15 s, the files go up as chosen and
 * the server strips them.
 */
(function () {
  "use strict";
  var MAX_SIDE = 2000, QUALITY = 0.85, GIVE_UP_MS = 15000;
  var PHOTO = /^image\/(jpeg|heic|heif|webp)$/i;
  var able = !!(window.HTMLCanvasElement && HTMLCanvasElement.prototype.toBlob && window.DataTransfer &&
    window.URL && URL.createObjectURL && window.CSS && CSS.supports &&
    CSS.supports("image-orientation", "from-image"));

  function redraw(file) {
    return new Promise(function (resolve) {
      if (!PHOTO.test(file.type)) { resolve(file); return; }
      var url = URL.createObjectURL(file), img = new Image();
      var done = function (result) { URL.revokeObjectURL(url); resolve(result); };
      img.onload = function () {
        try {
          var scale = Math.min(1, MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
          var canvas = document.createElement("canvas");
          canvas.width = Math.round(img.naturalWidth * scale);
          canvas.height = Math.round(img.naturalHeight * scale);
          var context = canvas.getContext("2d");
          if (!context) { done(file); return; }  // out of canvas memory on a small phone
          context.drawImage(img, 0, 0, canvas.width, canvas.height);
          canvas.toBlob(function (blob) {
            if (!blob) { done(file); return; }
            var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
            done(new File([blob], name, { type: "image/jpeg" }));
          }, "image/jpeg", QUALITY);
        } catch (e) { done(file); }
      };
      img.onerror = function () { done(file); };
      img.src = url;
    });
  }

  function withTimeout(promise, ms) {
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () { reject(new Error("timeout")); }, ms);
      promise.then(function (v) { clearTimeout(timer); resolve(v); }, function (e) { clearTimeout(timer); reject(e); });
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
    withTimeout(Promise.all(pending.map(function (input) {
      return Promise.all(Array.prototype.map.call(input.files, redraw)).then(function (files) {
        return { input: input, files: files };
      });
    })), GIVE_UP_MS).then(function (results) {
      results.forEach(function (r) {
        var dt = new DataTransfer();
        r.files.forEach(function (f) { dt.items.add(f); });
        r.input.files = dt.files;
      });
    }).catch(function () { /* send the files as chosen */ }).then(function () {
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
