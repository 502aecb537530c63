/* Parts of a page that no callback touches, drawn by one Dash component (components/plain.py).
 *
 * Dash's renderer does work for every component it mounts, and more per component the more
 * there are; a scorecard card's text, disclosures and links never change once drawn. The
 * server sends them as data, {t: tag, p: attributes, c: children, nav: true for a link inside
 * the app}, and React draws the same elements here. Text is always text (React escapes it);
 * attributes that could run script (on*, dangerouslySetInnerHTML) are dropped.
 *
 * A link inside the app moves as dcc.Link does (Dash 4, dcc/src/components/Link.react.js):
 * an ordinary click changes the address with history.pushState, tells Dash's Location with
 * the "_dashprivate_pushstate" event and scrolls to the top; a click with a modifier key is
 * left to the browser (new tab, new window).
 */
(function () {
    "use strict";

    function navigate(event) {
        if (event.metaKey || event.shiftKey || event.altKey || event.ctrlKey || event.button) {
            return;
        }
        event.preventDefault();
        window.history.pushState({}, "", event.currentTarget.getAttribute("href"));
        window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
        window.scrollTo(0, 0);
    }

    function draw(node, key) {
        if (node === null || node === undefined || typeof node !== "object") {
            return node;
        }
        var attributes = {key: key};
        Object.keys(node.p || {}).forEach(function (name) {
            if (!/^on/i.test(name) && name !== "dangerouslySetInnerHTML") {
                attributes[name] = node.p[name];
            }
        });
        if (node.nav) {
            attributes.onClick = navigate;
        }
        var children = (node.c || []).map(draw);
        return window.React.createElement.apply(null, [node.t, attributes].concat(children));
    }

    function Plain(props) {
        var h = window.React.createElement;
        return h.apply(null, [window.React.Fragment, null].concat((props.tree || []).map(draw)));
    }

    window.barometer_components = Object.assign(window.barometer_components || {}, {
        Plain: Plain,
    });
})();
