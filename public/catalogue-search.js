// The catalogue's search box: titles suggested as one types, from
// `GET /api/catalogue/suggest`, and a search address without the filters
// left at "any".
//
// The catalogue is read without the app's WebAssembly by a signed-out
// visitor (`routes::is_read_without_code`), the way most people first meet
// Engram, so its one live part is this small module rather than the app:
// the same file serves the page the server sent complete and the page the
// app rendered (the search form names it, and a module runs once per
// document however often the form is drawn). It listens on the document, so
// a form that the app draws anew is served without being found again.
// Without JavaScript the search works as a plain form, without suggestions.

const SEARCH_BOX = "catalogue-q";
const SUGGESTIONS = "catalogue-suggestions";
// Says how many suggestions came, for a screen reader, whose focus stays in
// the box while they appear below it.
const STATUS = "catalogue-suggestions-status";
// Ask once typing pauses, not on every key.
const PAUSE_MS = 200;
const MIN_CHARS = 2;

let pause = 0;
// Only the newest question's answer is shown: an older one can arrive last.
let asked = 0;

const searchBox = () => document.getElementById(SEARCH_BOX);
const suggestionList = () => document.getElementById(SUGGESTIONS);
const links = () => [...(suggestionList()?.querySelectorAll("a") ?? [])];

function hide() {
  const list = suggestionList();
  if (list) list.hidden = true;
}

function show(suggestions) {
  const list = suggestionList();
  if (!list) return;
  list.replaceChildren(
    ...suggestions.map(({ kind, title, href }) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      // The server writes each address; anything else is not followed.
      link.href = typeof href === "string" && href.startsWith("/") && !href.startsWith("//") ? href : "/catalogue";
      link.className = "suggestion";
      const name = document.createElement("span");
      name.className = "truncate";
      name.textContent = title;
      const label = document.createElement("span");
      label.className = "suggestion-kind";
      label.textContent = kind === "course" ? "course" : "deck";
      link.append(name, label);
      item.append(link);
      return item;
    }),
  );
  list.hidden = suggestions.length === 0;
  const status = document.getElementById(STATUS);
  const count = suggestions.length;
  if (status) status.textContent = count ? `${count} suggestion${count > 1 ? "s" : ""}: press the down arrow to reach them.` : "";
}

async function suggest(box) {
  const typed = box.value.trim();
  const question = ++asked;
  // Too short to ask about: the last text's suggestions go, not only hide.
  if ([...typed].length < MIN_CHARS) return show([]);
  let suggestions = [];
  try {
    const response = await fetch(`/api/catalogue/suggest?typed=${encodeURIComponent(typed)}`, {
      headers: { Accept: "application/json" },
    });
    if (response.ok) suggestions = await response.json();
  } catch {
    // No connection: the search button still works once it is back.
  }
  if (question === asked && document.activeElement === box) show(suggestions);
}

document.addEventListener("input", (event) => {
  if (event.target.id !== SEARCH_BOX) return;
  clearTimeout(pause);
  pause = setTimeout(() => suggest(event.target), PAUSE_MS);
});

// Arrow keys walk from the box into the suggestions and back; Escape closes
// them and returns to the box.
document.addEventListener("keydown", (event) => {
  const list = suggestionList();
  if (!list || list.hidden) return;
  const box = searchBox();
  const options = links();
  const at = options.indexOf(document.activeElement);
  if (event.target !== box && at < 0) return;
  if (event.key === "Escape") {
    event.preventDefault();
    hide();
    box?.focus();
  } else if (event.key === "ArrowDown") {
    event.preventDefault();
    options[Math.min(at + 1, options.length - 1)]?.focus();
  } else if (event.key === "ArrowUp") {
    event.preventDefault();
    if (at <= 0) box?.focus();
    else options[at - 1].focus();
  }
});

// Focus leaving the box and its list closes the list. A press on a
// suggestion keeps the focus where it is, so the click that follows lands.
document.addEventListener("focusout", (event) => {
  const box = searchBox();
  const list = suggestionList();
  if (!box || !list || (event.target !== box && !list.contains(event.target))) return;
  const next = event.relatedTarget;
  if (next !== box && !list.contains(next)) hide();
});
document.addEventListener("mousedown", (event) => {
  if (event.target instanceof Element && event.target.closest(`#${SUGGESTIONS}`)) event.preventDefault();
});
document.addEventListener("focusin", (event) => {
  if (event.target.id === SEARCH_BOX && links().length > 0) suggestionList().hidden = false;
});

// A search is sent without the filters left at "any": the browser would
// send every field (`?q=verbs&sort=&language=&…`), the same search at a
// longer address. It is sent as a link to that address, which the app's
// router follows within the page (as it does every link of the app) and
// which the browser follows on a page without the app's code. Until this
// module has loaded, or without JavaScript, the form is sent as it is.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.contains(searchBox())) return;
  const query = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (name && typeof value === "string" && value !== "") query.append(name, value);
  }
  event.preventDefault();
  const search = query.toString();
  const link = document.createElement("a");
  link.href = `${new URL(form.action).pathname}${search ? `?${search}` : ""}`;
  link.hidden = true;
  // In the document, so that the router's listener sees the click.
  form.append(link);
  link.click();
  link.remove();
});
