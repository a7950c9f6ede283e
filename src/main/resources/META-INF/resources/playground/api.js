// Talks to the server: the page uses the same public routes a client would.

/** The API key typed in the header, kept for this browser tab only. */
export function apiKey() {
  return document.getElementById('api-key').value.trim();
}

function headers(extra = {}) {
  const key = apiKey();
  return key ? { ...extra, Authorization: `Bearer ${key}` } : extra;
}

/** A problem+json answer (RFC 9457) as an Error that keeps its fields. */
export class Problem extends Error {
  constructor(status, body) {
    super(body.detail || body.title || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function problemOf(response) {
  const text = await response.text();
  try {
    return new Problem(response.status, JSON.parse(text));
  } catch {
    return new Problem(response.status, { title: response.statusText, status: response.status, detail: text.slice(0, 300) });
  }
}

export async function listModels() {
  const response = await fetch('/v1/models', { headers: headers() });
  if (!response.ok) throw await problemOf(response);
  return (await response.json()).data;
}

/** One model with its card (README.md front matter and markdown). */
export async function modelDetails(model) {
  const response = await fetch(`/v1/models/${encodeURIComponent(model)}`, { headers: headers() });
  if (!response.ok) throw await problemOf(response);
  return response.json();
}

export async function predict(model, body) {
  const response = await fetch(`/v1/models/${encodeURIComponent(model)}/predict`, {
    method: 'POST', headers: headers({ 'Content-Type': 'application/json' }), body: JSON.stringify(body),
  });
  if (!response.ok) throw await problemOf(response);
  return response.json();
}

/**
 * OpenAI-style streamed completion: calls onText with each piece as the server-sent events
 * arrive, and resolves with the last event's finish reason.
 */
export async function streamCompletion(body, onText) {
  const response = await fetch('/v1/completions', {
    method: 'POST', headers: headers({ 'Content-Type': 'application/json', Accept: 'text/event-stream' }),
    body: JSON.stringify({ ...body, stream: true }),
  });
  if (!response.ok) throw await problemOf(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let finish = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      for (const line of event.split('\n')) {
        if (!line.startsWith('data:')) continue;
        const data = line.slice(5).trim();
        if (data === '[DONE]') return finish;
        const chunk = JSON.parse(data);
        if (chunk.error) throw new Problem(500, { title: 'generation failed', detail: chunk.error.message });
        const choice = chunk.choices?.[0];
        if (choice?.text) onText(choice.text);
        if (choice?.finish_reason) finish = choice.finish_reason;
      }
    }
  }
  return finish;
}

const shellQuote = (text) => `'${text.replace(/'/g, "'\\''")}'`;

/**
 * The curl command that sends the same request. A chosen file is not pasted as megabytes of
 * base64: printf splices the file's base64 into the JSON in the shell, as a user would.
 */
export function curlFor(path, body, media) {
  const url = `${location.origin}${path}`;
  const auth = apiKey() ? ` -H "Authorization: Bearer $INFERA_API_KEY"` : '';
  const json = JSON.stringify(body);
  if (media) {
    const format = json.replace(/%/g, '%%').split(JSON.stringify(media.base64)).join('"%s"');
    return `printf ${shellQuote(format)} "$(base64 -w0 ${shellQuote(media.name)})" |\n  curl -s ${url}${auth} -H 'content-type: application/json' --data-binary @-`;
  }
  return `curl -s ${url}${auth} -H 'content-type: application/json' \\\n  -d ${shellQuote(json)}`;
}
