// buurtkaart live watcher: a Streamlit v2 component (no iframe) in the live fragment.
//
// It asks the app's live endpoint (GET <base>/_bk/live?t=TOKEN, app/live_http.py)
// every `every` ms for the map's newest event number and who-is-here fingerprint,
// and wakes its fragment (setTriggerValue("news")) only when either differs from
// what the page shows, or when the page asked to be woken soon (news waiting for
// the next redraw, holes in its cursor); never within `after_ms` of a render (a
// page that redrew a moment ago would only defer the news again). When the endpoint cannot answer (another replica's token, a restart,
// a network hiccup) it wakes the fragment every few polls instead, so the page
// then polls the store itself: slower, never stuck. One timer per mounted
// element; each render only swaps the data it compares with.
export default function (component) {
  const { data, setTriggerValue, parentElement } = component;
  const host = parentElement.host || parentElement;
  const s = host.__bkWatch || (host.__bkWatch = { fails: 0, busy: false });
  s.data = data;
  s.trigger = setTriggerValue;
  s.woken = 0;
  s.renderedAt = Date.now();
  host.dataset.bkSeq = String(data.seq);

  // one question per tick for every watcher of the page (an answer younger than half a
  // tick is shared)
  function ask(d) {
    const shared = globalThis.__bkLiveAsk;
    const now = Date.now();
    if (shared && shared.url === d.url && now - shared.at < d.every_ms / 2) return shared.answer;
    const answer = fetch(d.url + "?t=" + encodeURIComponent(d.token),
                         { cache: "no-store", credentials: "same-origin" })
      .then((r) => { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); });
    globalThis.__bkLiveAsk = { url: d.url, at: now, answer: answer };
    return answer;
  }

  function wake(why) {
    s.woken = Date.now();
    host.dataset.bkWoken = why;
    s.trigger("news", why + ":" + s.woken);
  }

  async function tick() {
    const d = s.data;
    if (s.busy) return;
    if (s.woken && Date.now() - s.woken < d.wait_ms) return; // the fragment is running
    if (Date.now() - s.renderedAt < d.after_ms) return; // nothing to do before then
    if (d.soon) { wake("soon"); return; }
    s.busy = true;
    try {
      const j = await ask(d);
      s.fails = 0;
      const what = d.what || "both";
      if (what !== "here" && j.seq > d.seq) wake("seq");
      else if (what !== "seq" && j.here !== d.here) wake("here");
    } catch {
      s.fails += 1;
      if (s.fails % d.fallback_every === 0) wake("fallback");
    } finally {
      s.busy = false;
    }
  }

  if (!s.timer) s.timer = setInterval(tick, data.every_ms);
  // a page that may redraw only after `after_ms` is asked exactly then, not at the
  // next tick of the interval (up to `every_ms` later)
  clearTimeout(s.later);
  if (data.after_ms > 0) s.later = setTimeout(tick, data.after_ms + 5);
  return () => { clearInterval(s.timer); clearTimeout(s.later); s.timer = null; };
}
