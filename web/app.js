// Placeholder: the dashboard's script (part B of issue 14 replaces web/). It imports a module
// by a relative specifier, which the build rewrites to the module's hashed name, and shows the
// daemon's liveness so a person who opens the page sees that it works.
import { health } from './health.js';

const status = document.getElementById('status');

health()
  .then((answer) => {
    status.textContent = `Daemon: ${answer}`;
  })
  .catch((error) => {
    status.textContent = `Daemon unreachable: ${error.message}`;
  });
