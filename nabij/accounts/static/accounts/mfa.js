// Two-step verification pages: after a passkey is registered, go on to the page named in data-done-url
// (django-otp-webauthn's script only announces the event); and the print button of the recovery codes.
(function () {
  "use strict";
  document.addEventListener("otp_webauthn.register_complete", function () {
    var target = document.getElementById("nabij-passkey-register");
    if (target && target.dataset.doneUrl) {
      window.location.assign(target.dataset.doneUrl);
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var print = document.getElementById("nabij-print-codes");
    if (print) {
      print.hidden = false;
      print.addEventListener("click", function () {
        window.print();
      });
    }
  });
})();
