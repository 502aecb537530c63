/* Presentation mode (/present): the keyboard moves the deck, the address follows.
 *
 * Served as a file from assets/, so the content security policy (no inline scripts) holds.
 * Presenter remotes send PageUp/PageDown (some send Left/Right); Space goes on, Shift+Space
 * back; F toggles full screen; Escape leaves the deck (in full screen the browser takes the
 * first Escape to leave full screen, the second one leaves the deck). Nothing happens on any
 * other page: the handler looks for the deck first. A "Present" link opens it full screen.
 */
(function () {
    "use strict";

    function deck() {
        return document.getElementById("present-deck");
    }

    function current(root) {
        var shown = root.querySelector(".slide:not([hidden])");
        return shown ? parseInt(shown.getAttribute("data-slide"), 10) : 1;
    }

    function show(root, number) {
        var count = parseInt(root.getAttribute("data-count"), 10);
        var target = Math.min(Math.max(number, 1), count);
        root.querySelectorAll(".slide").forEach(function (slide) {
            slide.hidden = parseInt(slide.getAttribute("data-slide"), 10) !== target;
        });
        var label = document.getElementById("present-slide-number");
        if (label) {
            label.textContent = target + " / " + count;
        }
        var url = new URL(window.location.href);
        if (target > 1) {
            url.searchParams.set("slide", String(target));
        } else {
            url.searchParams.delete("slide");
        }
        // replaceState: Back leaves the deck instead of stepping through every slide.
        window.history.replaceState(window.history.state, "", url.toString());
        // A chart drawn while hidden has no size yet: let Plotly measure it now.
        window.dispatchEvent(new Event("resize"));
    }

    function toggleFullScreen() {
        if (document.fullscreenElement) {
            return document.exitFullscreen();
        }
        return document.documentElement.requestFullscreen();
    }

    // A "Present" link opens the deck in full screen: the click is the user's gesture the
    // browser asks for, and the link navigates inside the page (Dash Pages), so the full
    // screen stays while the deck is drawn. A click with a modifier opens a tab as usual.
    document.addEventListener("click", function (event) {
        var link = event.target.closest ? event.target.closest("a.present-link") : null;
        if (!link || event.button !== 0 || event.altKey || event.ctrlKey || event.metaKey ||
                event.shiftKey || document.fullscreenElement) {
            return;
        }
        document.documentElement.requestFullscreen().catch(function () { /* refused */ });
    }, true);

    document.addEventListener("keydown", function (event) {
        var root = deck();
        if (!root || event.altKey || event.ctrlKey || event.metaKey) {
            return;
        }
        var key = event.key;
        var step = 0;
        if (key === "ArrowRight" || key === "PageDown" || (key === " " && !event.shiftKey)) {
            step = 1;
        } else if (key === "ArrowLeft" || key === "PageUp" || (key === " " && event.shiftKey)) {
            step = -1;
        } else if (key === "f" || key === "F") {
            event.preventDefault();
            toggleFullScreen().catch(function () { /* refused: stay as we are */ });
            return;
        } else if (key === "Escape") {
            // In full screen the first Escape leaves full screen (most browsers do it before
            // the page hears the key; where the page hears it, we do), the next the deck.
            if (document.fullscreenElement) {
                document.exitFullscreen().catch(function () { /* already left */ });
            } else {
                window.location.assign(root.getAttribute("data-leave") || "/");
            }
            return;
        } else if (key === "Home") {
            event.preventDefault();
            show(root, 1);
            return;
        } else if (key === "End") {
            event.preventDefault();
            show(root, parseInt(root.getAttribute("data-count"), 10));
            return;
        }
        if (step !== 0) {
            event.preventDefault();
            show(root, current(root) + step);
        }
    });
})();
