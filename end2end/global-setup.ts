// cargo-leptos starts the server and the tests at the same time; wait until
// the server answers and its database is ready.
export default async function globalSetup() {
  const deadline = Date.now() + 90_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const response = await fetch("http://127.0.0.1:3000/readyz");
      if (response.ok) return;
      lastError = `readyz answered ${response.status}`;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the server did not become ready: ${lastError}`);
}
