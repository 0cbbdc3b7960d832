// The dashboard's entry point: hash routing (#/overview, #/jobs, ...), sign-in, and the
// lifetime of the current view. Each view module exports render(container) and may return a
// function that stops it (its polling), called when the route changes.
import { getToken, onUnauthorized, setToken } from './api.js';
import { renderOverview } from './overview_view.js';
import { renderJobs } from './jobs_view.js';
import { renderLogs } from './logs_view.js';
import { renderSnapshots } from './snapshots_view.js';
import { renderPlans } from './plans_view.js';

const routes = {
    overview: { title: 'Overview', render: renderOverview },
    jobs: { title: 'Jobs', render: renderJobs },
    logs: { title: 'Logs', render: renderLogs },
    snapshots: { title: 'Snapshots', render: renderSnapshots },
    plans: { title: 'Plans', render: renderPlans },
};

let stopCurrent = null;

function currentRoute() {
    const name = window.location.hash.replace(/^#\/?/, '').split(/[/?]/)[0];
    return routes[name] ? name : 'overview';
}

function showSignIn(message) {
    if (stopCurrent) stopCurrent();
    stopCurrent = null;
    document.getElementById('main').replaceChildren();
    document.getElementById('sign-in').hidden = false;
    document.getElementById('sign-in-message').textContent = message || '';
    document.getElementById('token').focus();
}

function render() {
    if (stopCurrent) stopCurrent();
    stopCurrent = null;
    const name = currentRoute();
    document.getElementById('sign-in').hidden = true;
    document.getElementById('sign-out').hidden = !getToken();
    for (const link of document.querySelectorAll('nav a')) {
        if (link.dataset.route === name) link.setAttribute('aria-current', 'page');
        else link.removeAttribute('aria-current');
    }
    document.title = `${routes[name].title} · backupd`;
    const main = document.getElementById('main');
    main.replaceChildren();
    main.dataset.view = name;
    stopCurrent = routes[name].render(main) || null;
}

function start() {
    onUnauthorized((error) => {
        // A token that was refused is dropped, so the next try asks again. A view's other
        // calls refused with it arrive after that: they keep the first refusal's message.
        const hadToken = Boolean(getToken());
        if (!hadToken && !document.getElementById('sign-in').hidden) return;
        setToken('');
        showSignIn(hadToken ? error.message : '');
    });
    document.getElementById('sign-in-form').addEventListener('submit', (event) => {
        event.preventDefault();
        const input = document.getElementById('token');
        setToken(input.value.trim());
        input.value = '';
        render();
    });
    document.getElementById('sign-out').addEventListener('click', () => {
        setToken('');
        showSignIn('Signed out.');
    });
    window.addEventListener('hashchange', render);
    render();
}

start();
