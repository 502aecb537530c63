/* A table of text drawn by one Dash component (components/table.py, TextTable).
 *
 * Long tables of numbers (a series of 70 periods, 357 municipalities) as Dash components cost
 * one component per cell, and Dash's renderer does work for every component at every page
 * load; as Markdown they cost dcc.Markdown's code (about 470 kB of script) and a Markdown
 * parse. Here the rows arrive as lists of text and React makes the table: text is always text
 * (React escapes it), never markup.
 *
 * Props: head (list of column headings), rows (list of lists of cell text), align (one letter
 * per column, "l" or "r"), caption, id, className. Dash's renderer finds the component as
 * window[namespace][type].
 */
(function () {
    "use strict";

    function TextTable(props) {
        var h = window.React.createElement;
        var align = props.align || "";

        function cell(tag, text, i, extra) {
            var attributes = {key: i};
            if (align.charAt(i) === "r") {
                attributes.style = {textAlign: "right"};
            } else if (align.charAt(i) === "l") {
                attributes.style = {textAlign: "left"};
            }
            if (extra) {
                attributes.scope = extra;
            }
            return h(tag, attributes, text === null || text === undefined ? "" : String(text));
        }

        var head = (props.head || []).map(function (text, i) {
            return cell("th", text, i, "col");
        });
        var rows = (props.rows || []).map(function (row, r) {
            return h("tr", {key: r}, row.map(function (text, i) {
                return cell("td", text, i);
            }));
        });
        return h(
            "table",
            {id: props.id, className: props.className},
            props.caption ? h("caption", null, props.caption) : null,
            h("thead", null, h("tr", null, head)),
            h("tbody", null, rows)
        );
    }

    window.barometer_components = Object.assign(window.barometer_components || {}, {
        TextTable: TextTable,
    });
})();
