// Placeholder module: shows that relative imports are rewritten to hashed names.
export async function health() {
  const response = await fetch('healthz');
  const body = await response.json();
  return body.status;
}
