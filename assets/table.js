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

    // ----------------------------------------------------------------------------------------
    // SortableTable (components/table.py): a click, Enter or Space on a column heading's button
    // sorts (ascending, descending, then the order the rows came in), buttons below the table
    // turn its pages. The sort and the page are the props sort_by ([{column_id, direction}],
    // DataTable's shape) and page_current, set with setProps so callbacks see them.
    //
    // Props: columns ([{id, name, type: "numeric" | "text", align}]), data (rows of cell text),
    // sort_keys ({column id: a number or null per row} for numeric columns), row_classes (a
    // class per row), sort_by, page_current, page_size, labels ({first, previous, next, last,
    // page: "Page {page} of {pages}"}), lang (text sorts in the reader's language), id,
    // className.
    // ----------------------------------------------------------------------------------------

    var ARIA_SORT = {asc: "ascending", desc: "descending"};
    var ARROW = {asc: "\u25b2", desc: "\u25bc"};  // ▲ ▼; unsorted columns show ↕
    var collators = {};

    function collator(lang) {
        var key = lang || "en";
        if (!collators[key]) {
            collators[key] = new Intl.Collator(key, {numeric: true, sensitivity: "base"});
        }
        return collators[key];
    }

    // The rows' indexes in the order `sort` asks for: missing values (null keys, empty text)
    // last whichever the direction; equal values keep the order the rows came in.
    function sortedOrder(props, sort) {
        var data = props.data || [];
        var order = data.map(function (_row, i) { return i; });
        var columns = props.columns || [];
        var at = -1;
        for (var c = 0; c < columns.length; c++) {
            if (sort && columns[c].id === sort.column_id) {
                at = c;
            }
        }
        if (at < 0) {
            return order;
        }
        var sign = sort.direction === "desc" ? -1 : 1;
        var numbers = columns[at].type === "numeric" ? (props.sort_keys || {})[columns[at].id] || [] : null;
        var compare = collator(props.lang).compare;
        function value(i) {
            if (numbers) {
                var key = numbers[i];
                return key === null || key === undefined ? null : key;
            }
            var text = data[i][at];
            return text === null || text === undefined || text === "" ? null : text;
        }
        return order.sort(function (a, b) {
            var x = value(a);
            var y = value(b);
            if (x === null || y === null) {
                return x === y ? a - b : (x === null ? 1 : -1);
            }
            var by = numbers ? (x < y ? -1 : (x > y ? 1 : 0)) : compare(x, y);
            return by !== 0 ? sign * by : a - b;
        });
    }

    function SortableTable(props) {
        var React = window.React;
        var h = React.createElement;
        var columns = props.columns || [];
        var data = props.data || [];
        var classes = props.row_classes || [];
        var labels = props.labels || {};
        var sort = (props.sort_by || [])[0] || null;
        var known = sort && columns.some(function (c) { return c.id === sort.column_id; });
        if (!known) {
            sort = null;
        }
        var order = React.useMemo(
            function () { return sortedOrder(props, sort); },
            [data, props.sort_keys, columns, props.lang, sort && sort.column_id, sort && sort.direction]
        );
        var size = Math.max(1, props.page_size || 25);
        var pages = Math.max(1, Math.ceil(data.length / size));
        var page = Math.min(Math.max(0, props.page_current || 0), pages - 1);

        function sortBy(id) {
            var direction = "asc";
            if (sort && sort.column_id === id) {
                direction = sort.direction === "asc" ? "desc" : null;
            }
            props.setProps({
                sort_by: direction ? [{column_id: id, direction: direction}] : [],
                page_current: 0,
            });
        }

        var head = columns.map(function (column, i) {
            var sorted = sort && sort.column_id === column.id ? sort.direction : null;
            return h(
                "th",
                {
                    key: i,
                    scope: "col",
                    "data-column": column.id,
                    "aria-sort": sorted ? ARIA_SORT[sorted] : undefined,
                    className: "align-" + column.align,
                },
                h(
                    "button",
                    {
                        type: "button",
                        className: "sortable-table-sort",
                        onClick: function () { sortBy(column.id); },
                    },
                    column.name,
                    " ", // the arrow may go to a line of its own in a narrow column
                    h(
                        "span",
                        {"aria-hidden": "true", className: "sortable-table-arrow" + (sorted ? "" : " unsorted")},
                        sorted ? ARROW[sorted] : "\u2195"
                    )
                )
            );
        });
        var rows = order.slice(page * size, (page + 1) * size).map(function (r) {
            return h(
                "tr",
                {key: r, className: classes[r] || undefined},
                data[r].map(function (text, i) {
                    var column = columns[i] || {};
                    return h(
                        "td",
                        {key: i, "data-column": column.id, className: "align-" + column.align},
                        text === null || text === undefined ? "" : String(text)
                    );
                })
            );
        });

        function turn(part, target, glyph) {
            var off = target < 0 || target >= pages || target === page;
            return h(
                "button",
                {
                    type: "button",
                    className: "sortable-table-" + part,
                    "aria-label": labels[part],
                    title: labels[part],
                    "aria-disabled": off ? "true" : undefined,
                    onClick: function () {
                        if (!off) {
                            props.setProps({page_current: target});
                        }
                    },
                },
                glyph
            );
        }

        var words = (labels.page || "{page} / {pages}")
            .replace("{page}", String(page + 1))
            .replace("{pages}", String(pages));
        var pager = pages > 1 ? h(
            "div",
            {className: "sortable-table-pager"},
            turn("first", 0, "\u00ab"),
            turn("previous", page - 1, "\u2039"),
            h("span", {className: "sortable-table-page", "aria-live": "polite"}, words),
            turn("next", page + 1, "\u203a"),
            turn("last", pages - 1, "\u00bb")
        ) : null;
        return h(
            "div",
            {id: props.id, className: ["sortable-table", props.className].filter(Boolean).join(" ")},
            h(
                "div",
                {className: "sortable-table-scroll"},
                h("table", null, h("thead", null, h("tr", null, head)), h("tbody", null, rows))
            ),
            pager
        );
    }

    window.barometer_components = Object.assign(window.barometer_components || {}, {
        TextTable: TextTable,
        SortableTable: SortableTable,
    });
})();
