/* "Copy link" buttons (components/controls.build_copy_link): copy the address of the view.
 *
 * The Clipboard API (navigator.clipboard.writeText) needs a secure context (https or
 * localhost) and may be refused; then the address is shown selected in a text box with words
 * saying to copy it. Either way the reader sees (and a screen reader hears, through the
 * status region) what happened. The words come from the button's data-* attributes, in the
 * page's language.
 */
(function () {
    "use strict";

    function showFallback(area, button, address) {
        var box = area.querySelector(".copy-link-fallback-box");
        var input = area.querySelector(".copy-link-fallback");
        var words = area.querySelector(".copy-link-fallback-words");
        if (!box || !input) {
            return;
        }
        words.textContent = button.getAttribute("data-fallback") + " ";
        input.value = address;
        box.hidden = false;
        input.focus();
        input.select();
    }

    document.addEventListener("click", function (event) {
        var button = event.target && event.target.closest && event.target.closest(".copy-link");
        if (!button) {
            return;
        }
        var area = button.closest(".copy-link-area");
        var status = area && area.querySelector(".copy-link-status");
        var address = window.location.href;
        if (status) {
            status.textContent = "";
        }
        var copied = function () {
            if (status) {
                status.textContent = button.getAttribute("data-copied");
            }
            var box = area && area.querySelector(".copy-link-fallback-box");
            if (box) {
                box.hidden = true;
            }
        };
        if (navigator.clipboard && window.isSecureContext) {
            navigator.clipboard.writeText(address).then(copied, function () {
                showFallback(area, button, address);
            });
        } else {
            showFallback(area, button, address);
        }
    });
})();
