// Small DOM helpers shared by the views. Text is always set as text (never parsed as HTML), so
// names from the API (folders, file names, messages) cannot inject markup.

/**
 * h('button', {class: 'x', onclick: fn, type: 'button'}, 'Label', child...): attributes whose
 * name starts with "on" become listeners; `text` sets textContent; false/null attributes and
 * children are skipped.
 */
export function h(tag, attributes = {}, ...children) {
    const element = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
        if (value === false || value === null || value === undefined) continue;
        if (key.startsWith('on') && typeof value === 'function') {
            element.addEventListener(key.slice(2), value);
        } else if (key === 'text') {
            element.textContent = String(value);
        } else if (key === 'value') {
            element.value = value;
        } else {
            element.setAttribute(key, value === true ? '' : String(value));
        }
    }
    for (const child of children.flat()) {
        if (child === null || child === undefined || child === false) continue;
        element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return element;
}

export function clear(element) {
    element.replaceChildren();
    return element;
}

/** A live region for one view's messages: error(err) shows the API's own message. */
export function messageArea() {
    const area = h('div', { class: 'messages', role: 'status', 'aria-live': 'polite' });
    return {
        element: area,
        error(err) {
            clear(area).append(h('p', { class: 'error', role: 'alert', text: err.message || String(err) }));
        },
        info(text) {
            clear(area).append(h('p', { class: 'info', text }));
        },
        clear() {
            clear(area);
        },
    };
}

/** A labelled form control: <label>Text <input ...></label>. */
export function field(label, control) {
    return h('label', { class: 'field' }, h('span', { text: label }), control);
}

export function select(name, options, value = '') {
    return h('select', { name },
        options.map(([optionValue, text]) =>
            h('option', { value: optionValue, selected: optionValue === value }, text)));
}

/** A state badge: class "badge state-<state>" coloured by app.css. */
export function stateBadge(state) {
    return h('span', { class: `badge state-${state}`, text: state });
}

/** Saves a Blob as a file through a temporary object URL (no token ever goes in a URL). */
export function saveBlob(blob, filename) {
    const url = URL.createObjectURL(blob);
    const link = h('a', { href: url, download: filename, class: 'hidden' });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function table(headers, rows, caption) {
    return h('table', {},
        caption ? h('caption', { text: caption }) : null,
        h('thead', {}, h('tr', {}, headers.map((text) => h('th', { scope: 'col', text })))),
        h('tbody', {}, rows));
}
