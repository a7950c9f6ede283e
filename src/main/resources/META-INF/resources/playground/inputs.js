// Input widgets. Each returns { element, read() }: read() gives the value for the request, or
// throws an Error naming what is missing.
import { apiKey } from './api.js';

let fieldCount = 0;

function labelled(labelText, control, name) {
  const id = `field-${name}-${++fieldCount}`;
  control.id = id;
  control.name = name;
  const wrap = document.createElement('div');
  const label = document.createElement('label');
  label.className = 'field';
  label.htmlFor = id;
  label.textContent = labelText;
  wrap.append(label, control);
  return wrap;
}

export function textArea(name, label, value = '', rows = 4) {
  const area = document.createElement('textarea');
  area.rows = rows;
  area.value = value;
  return { element: labelled(label, area, name), read: () => area.value };
}

export function line(name, label, value = '') {
  const input = document.createElement('input');
  input.type = 'text';
  input.value = value;
  return { element: labelled(label, input, name), read: () => input.value };
}

export function number(name, label, value, step = 1) {
  const input = document.createElement('input');
  input.type = 'number';
  input.step = step;
  input.value = value;
  return { element: labelled(label, input, name), read: () => (input.value === '' ? undefined : Number(input.value)) };
}

export function checkbox(name, label, checked = false) {
  const input = document.createElement('input');
  input.type = 'checkbox';
  input.checked = checked;
  input.id = `field-${name}-${++fieldCount}`;
  input.name = name;
  const wrap = document.createElement('label');
  wrap.className = 'inline';
  wrap.append(input, ` ${label}`);
  return { element: wrap, read: () => input.checked };
}

export function select(name, label, options, value) {
  const control = document.createElement('select');
  for (const option of options) control.add(new Option(option, option, false, option === value));
  return { element: labelled(label, control, name), read: () => control.value };
}

/** A small spreadsheet: the header row names the columns, cells are editable, rows and columns can be added. */
export function tableEditor(name, label, columns) {
  const table = document.createElement('table');
  table.className = 'editor';
  table.dataset.name = name;
  const headers = Object.keys(columns);
  const rows = columns[headers[0]].length;
  const head = table.createTHead().insertRow();
  headers.forEach((h) => { const th = document.createElement('th'); th.contentEditable = 'true'; th.textContent = h; head.append(th); });
  const body = table.createTBody();
  for (let r = 0; r < rows; r++) {
    const row = body.insertRow();
    headers.forEach((h) => { const cell = row.insertCell(); cell.contentEditable = 'true'; cell.textContent = columns[h][r]; });
  }
  const addRow = button('+ row', () => {
    const row = body.insertRow();
    for (let c = 0; c < head.cells.length; c++) row.insertCell().contentEditable = 'true';
  });
  const addColumn = button('+ column', () => {
    const th = document.createElement('th');
    th.contentEditable = 'true';
    th.textContent = `column ${head.cells.length + 1}`;
    head.append(th);
    for (const row of body.rows) row.insertCell().contentEditable = 'true';
  });
  const tools = document.createElement('div');
  tools.className = 'inline';
  tools.append(addRow, addColumn);
  const wrap = document.createElement('div');
  const caption = document.createElement('label');
  caption.className = 'field';
  caption.textContent = label;
  wrap.append(caption, table, tools);
  return {
    element: wrap,
    table,
    read: () => {
      const out = {};
      [...head.cells].forEach((th, c) => { out[th.textContent.trim()] = [...body.rows].map((row) => row.cells[c].textContent.trim()); });
      return out;
    },
  };
}

function button(text, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'small-button';
  b.textContent = text;
  b.addEventListener('click', onClick);
  return b;
}

async function base64Of(blob) {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * A file chosen by upload or drag-and-drop (nothing is fetched from URLs), previewed; for audio
 * also recorded from the microphone. read() resolves to { name, base64, url }.
 */
export function media(name, kind) {
  const drop = document.createElement('div');
  drop.className = 'drop';
  drop.dataset.name = name;
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = kind === 'image' ? 'image/*' : 'audio/*';
  input.name = name;
  const hint = document.createElement('p');
  hint.textContent = kind === 'image' ? 'Drop an image here, or choose a file' : 'Drop a WAV (or FLAC, MP3, OGG) file here, choose one, or record';
  const preview = document.createElement(kind === 'image' ? 'img' : 'audio');
  if (kind === 'audio') preview.controls = true;
  preview.hidden = true;
  preview.alt = 'chosen file';
  let chosen = null;
  const use = (blob, fileName) => {
    chosen = { blob, name: fileName, url: URL.createObjectURL(blob) };
    preview.src = chosen.url;
    preview.hidden = false;
    hint.textContent = fileName;
  };
  input.addEventListener('change', () => input.files[0] && use(input.files[0], input.files[0].name));
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = e.dataTransfer.files[0];
    if (file) use(file, file.name);
  });
  drop.append(hint, input);
  if (kind === 'audio') drop.append(recorder((blob) => use(blob, 'recording.wav')));
  drop.append(preview);
  return {
    element: drop,
    read: async () => {
      if (!chosen) throw new Error(kind === 'image' ? 'choose an image first' : 'choose or record a clip first');
      return { name: chosen.name, base64: await base64Of(chosen.blob), url: chosen.url };
    },
  };
}

/** Microphone recording, written as 16-bit PCM WAV in the page (the server reads WAV without ffmpeg). */
function recorder(onDone) {
  const toggle = button('● record', async () => {
    if (state) {
      onDone(await state.stop());
      state = null;
      toggle.textContent = '● record';
      return;
    }
    state = await startRecording();
    toggle.textContent = '■ stop';
  });
  toggle.dataset.role = 'record';
  let state = null;
  return toggle;
}

async function startRecording() {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  const context = new AudioContext();
  const source = context.createMediaStreamSource(stream);
  // ScriptProcessor is deprecated but needs no separate worklet file; 4096 frames per callback
  const processor = context.createScriptProcessor(4096, 1, 1);
  const chunks = [];
  processor.onaudioprocess = (e) => chunks.push(new Float32Array(e.inputBuffer.getChannelData(0)));
  source.connect(processor);
  processor.connect(context.destination);
  return {
    stop: async () => {
      processor.disconnect();
      source.disconnect();
      stream.getTracks().forEach((t) => t.stop());
      const rate = context.sampleRate;
      await context.close();
      return wav(chunks, rate);
    },
  };
}

function wav(chunks, rate) {
  const samples = chunks.reduce((n, c) => n + c.length, 0);
  const view = new DataView(new ArrayBuffer(44 + samples * 2));
  const text = (offset, s) => [...s].forEach((ch, i) => view.setUint8(offset + i, ch.charCodeAt(0)));
  text(0, 'RIFF'); view.setUint32(4, 36 + samples * 2, true); text(8, 'WAVE');
  text(12, 'fmt '); view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
  view.setUint32(24, rate, true); view.setUint32(28, rate * 2, true); view.setUint16(32, 2, true); view.setUint16(34, 16, true);
  text(36, 'data'); view.setUint32(40, samples * 2, true);
  let offset = 44;
  for (const chunk of chunks) {
    for (const x of chunk) {
      view.setInt16(offset, Math.max(-1, Math.min(1, x)) * 0x7fff, true);
      offset += 2;
    }
  }
  return new Blob([view], { type: 'audio/wav' });
}

/**
 * Live recognition: the microphone streamed to /v1/audio/stream (float32 at the page's rate) while
 * the partial text grows in place and each final is kept below it. read() gives nothing: the
 * stream is its own request.
 */
export function live(model) {
  const wrap = document.createElement('div');
  wrap.className = 'live';
  const status = Object.assign(document.createElement('p'), { className: 'muted', textContent: 'not streaming' });
  status.dataset.role = 'live-status';
  const finals = document.createElement('ol');
  finals.className = 'finals';
  const partial = Object.assign(document.createElement('p'), { className: 'partial' });
  partial.dataset.role = 'live-partial';
  let session = null;
  let partials = 0;
  const show = (message) => {
    if (message.type === 'ready') status.textContent = `streaming to ${message.model} at ${message.sample_rate} Hz`;
    if (message.type === 'partial') {
      partials += 1;
      partial.textContent = message.text;
      partial.title = `stable: ${message.stable}`;
      wrap.dataset.partials = String(partials);
    }
    if (message.type === 'final') {
      partial.textContent = '';
      finals.append(Object.assign(document.createElement('li'), {
        textContent: `${message.text} (${message.start.toFixed(2)}–${message.end.toFixed(2)} s)`,
      }));
    }
    if (message.type === 'closed') {
      status.textContent = `closed ${message.code} ${message.reason}`;
      toggle.textContent = '● live';
      session = null;
    }
  };
  const toggle = button('● live', async () => {
    if (session) {
      session.stop();
      return;
    }
    finals.replaceChildren();
    partials = 0;
    session = await startLive(model, show);
    toggle.textContent = '■ stop live';
  });
  toggle.dataset.role = 'live';
  wrap.append(toggle, status, partial, finals);
  return { element: labelled('Live: the microphone streamed over a WebSocket', wrap, 'live'), read: () => undefined };
}

async function startLive(model, show) {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  const context = new AudioContext();
  const source = context.createMediaStreamSource(stream);
  const processor = context.createScriptProcessor(4096, 1, 1);
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const query = `model=${encodeURIComponent(model)}&sample_rate=${context.sampleRate}&encoding=f32`;
  // a browser's WebSocket sends no headers: the API key rides as a second subprotocol
  const key = apiKey();
  const socket = new WebSocket(`${scheme}://${location.host}/v1/audio/stream?${query}`, key ? ['infera', `infera-api-key.${key}`] : []);
  socket.binaryType = 'arraybuffer';
  const release = () => {
    processor.disconnect();
    source.disconnect();
    stream.getTracks().forEach((t) => t.stop());
    if (context.state !== 'closed') context.close();
  };
  socket.onmessage = (e) => show(JSON.parse(e.data));
  socket.onclose = (e) => {
    release();
    show({ type: 'closed', code: e.code, reason: e.reason });
  };
  processor.onaudioprocess = (e) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(new Float32Array(e.inputBuffer.getChannelData(0)).buffer);
  };
  source.connect(processor);
  processor.connect(context.destination);
  return {
    stop: () => {
      release();
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'stop' }));
    },
  };
}
