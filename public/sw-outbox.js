// Background Sync for the outbox, imported by the service worker (sw.js,
// which Workbox writes at build time).
//
// A study page keeps each rating in IndexedDB (`engram` database, `outbox`
// store; `app/src/offline/store.rs` owns its shape) and sends it itself.
// When a send fails for want of a connection, the page registers the
// `engram-outbox` sync; the browser then wakes this worker once a
// connection is back, even if every Engram page is closed by then. Each
// batch names the learner who made it, and the server refuses a batch that
// is not the signed-in learner's, so reviews never go out as someone
// else's: refused ones wait for their learner's next visit.
//
// Workbox's own background-sync queue is not used: it replays requests with
// whatever cookie is current and would hold a second copy of each review,
// while this outbox is the one place a review waits.

const OUTBOX_SYNC_TAG = "engram-outbox";
// `study::MAX_REVIEWS_PER_BATCH`.
const MAX_REVIEWS_PER_BATCH = 500;

self.addEventListener("sync", (event) => {
  if (event.tag === OUTBOX_SYNC_TAG) event.waitUntil(sendOutbox());
});

function settled(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function committed(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

// The database as the app made it, or null: this worker never creates it,
// since the app's upgrade builds its stores.
async function openDatabase() {
  const opening = indexedDB.open("engram");
  opening.onupgradeneeded = () => opening.transaction.abort();
  try {
    return await settled(opening);
  } catch {
    return null;
  }
}

const SENT = "sent";
const REFUSED = "refused";
const WAITS = "waits";

// Sends `batch` (the learner's records) and forgets it once stored. Answers
// SENT, REFUSED (the server refused these reviews, not the learner: a
// review of a card now gone, one dated by a wrong clock) or WAITS (another
// learner or nobody is signed in, or the server failed for a while: these
// wait, and the page shows why when it sends them).
async function send(database, learner, batch) {
  // A network failure rejects, and the browser tries the sync again later
  // with its own back-off.
  const response = await fetch("/api/study/reviews", {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ made_by: learner, reviews: batch.map((record) => JSON.parse(record.review_json)) }),
  });
  if (!response.ok) return [400, 404, 409, 422].includes(response.status) ? REFUSED : WAITS;
  const ids = batch.map((record) => record.id);
  const removal = database.transaction("outbox", "readwrite", { durability: "strict" });
  for (const id of ids) removal.objectStore("outbox").delete(id);
  await committed(removal);
  const pages = await self.clients.matchAll({ includeUncontrolled: true, type: "window" });
  for (const page of pages) page.postMessage({ type: "engram-outbox-sent", ids });
  return SENT;
}

async function sendOutbox() {
  const database = await openDatabase();
  if (!database) return;
  try {
    if (!database.objectStoreNames.contains("outbox")) return;
    const records = await settled(database.transaction("outbox").objectStore("outbox").getAll());
    records.sort((a, b) => a.kept_at_ms - b.kept_at_ms);
    const byLearner = new Map();
    for (const record of records) {
      if (!byLearner.has(record.learner_id)) byLearner.set(record.learner_id, []);
      byLearner.get(record.learner_id).push(record);
    }
    for (const [learner, waiting] of byLearner) {
      for (let start = 0; start < waiting.length; start += MAX_REVIEWS_PER_BATCH) {
        const batch = waiting.slice(start, start + MAX_REVIEWS_PER_BATCH);
        const status = await send(database, learner, batch);
        if (status === SENT || (status === REFUSED && batch.length === 1)) continue;
        if (status !== REFUSED) break;
        // A batch is stored whole or not at all: past a review refused in
        // it (its card deleted, or dated by a wrong clock), each goes on its
        // own. A refused one stays for the study page, which lets it go and
        // tells the learner why.
        let stopped = false;
        for (const record of batch) {
          const alone = await send(database, learner, [record]);
          if (alone !== SENT && alone !== REFUSED) {
            stopped = true;
            break;
          }
        }
        if (stopped) break;
      }
    }
  } finally {
    database.close();
  }
}
