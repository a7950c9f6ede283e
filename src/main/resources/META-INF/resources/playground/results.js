// Draws answers the way a person reads them. Each function fills `target` (a cleared element).

const COLOURS = ['#e53935', '#1e88e5', '#43a047', '#fb8c00', '#8e24aa', '#00acc1', '#6d4c41', '#3949ab', '#c0ca33', '#d81b60'];

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Horizontal bars, best first: [{label, score}]. */
export function bars(target, rows) {
  const grid = el('div', 'bars');
  grid.dataset.view = 'bars';
  for (const { label, score } of rows) {
    const bar = el('div', 'bar');
    bar.style.width = `${Math.max(0, Math.min(1, score ?? 0)) * 100}%`;
    const track = el('div');
    track.append(bar);
    grid.append(el('span', 'label', label), track, el('span', 'score', score == null ? '' : score.toFixed(4)));
  }
  target.append(grid);
}

/**
 * Text with spans marked: spans are [{start, end, tag, className}] in code points, as the server
 * counts offsets (JavaScript strings count UTF-16 units, so the text is split into code points).
 */
export function markedText(target, text, spans, view) {
  const points = [...text];
  const box = el('div', 'text-view');
  box.dataset.view = view;
  let at = 0;
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    if (span.start < at) continue;
    box.append(points.slice(at, span.start).join(''));
    const mark = el('mark', span.className, points.slice(span.start, span.end).join(''));
    if (span.tag) mark.append(el('small', '', span.tag));
    mark.title = span.title || '';
    box.append(mark);
    at = span.end;
  }
  box.append(points.slice(at).join(''));
  target.append(box);
}

export function entities(target, text, found) {
  markedText(target, text, found.map((e) => ({
    start: e.start, end: e.end, tag: e.entity_group || e.entity, className: 'entity', title: `score ${e.score.toFixed(4)}`,
  })), 'entities');
  if (!found.length) target.append(el('p', 'muted', 'No entities found.'));
}

export function answerInContext(target, context, answers) {
  const list = Array.isArray(answers) ? answers : [answers];
  const best = list[0];
  target.append(el('p', 'answer-line', `Answer: “${best.answer}” (score ${best.score.toFixed(4)})`));
  markedText(target, context, best.answer ? [{ start: best.start, end: best.end, className: 'answer' }] : [], 'qa');
  if (list.length > 1) bars(target, list.map((a) => ({ label: a.answer || '(no answer)', score: a.score })));
}

function loadImage(url) {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = reject;
    image.src = url;
  });
}

/** The picture on a canvas, small ones enlarged (to 480 px wide, at most 4x) so that labels stay legible. */
async function canvasWith(url) {
  const image = await loadImage(url);
  const scale = Math.min(4, Math.max(1, 480 / image.naturalWidth));
  const canvas = el('canvas');
  canvas.width = Math.round(image.naturalWidth * scale);
  canvas.height = Math.round(image.naturalHeight * scale);
  canvas.dataset.scale = String(scale);
  const g = canvas.getContext('2d');
  g.drawImage(image, 0, 0, canvas.width, canvas.height);
  return { canvas, g, scale };
}

/** Boxes in the picture's own pixels, labelled with class and score. */
export async function detections(target, imageUrl, found) {
  const { canvas, g, scale } = await canvasWith(imageUrl);
  canvas.dataset.view = 'detections';
  canvas.dataset.boxes = String(found.length);
  const width = Math.max(2, Math.round(canvas.width / 240));
  g.font = `${Math.max(13, Math.round(canvas.width / 45))}px sans-serif`;
  const labels = [...new Set(found.map((d) => d.label))];
  found.forEach((d) => {
    const colour = COLOURS[labels.indexOf(d.label) % COLOURS.length];
    const [xmin, ymin, xmax, ymax] = [d.box.xmin, d.box.ymin, d.box.xmax, d.box.ymax].map((v) => v * scale);
    g.strokeStyle = colour;
    g.lineWidth = width;
    g.strokeRect(xmin, ymin, xmax - xmin, ymax - ymin);
    const caption = `${d.label} ${d.score.toFixed(2)}`;
    const w = g.measureText(caption).width + 6;
    const h = parseInt(g.font, 10) + 4;
    g.fillStyle = colour;
    g.fillRect(xmin, Math.max(0, ymin - h), w, h);
    g.fillStyle = '#fff';
    g.fillText(caption, xmin + 3, Math.max(h - 4, ymin - 4));
  });
  target.append(canvas);
  if (!found.length) target.append(el('p', 'muted', 'Nothing detected above the threshold.'));
}

/** Each read line's outline on the picture, numbered, and the lines' text beneath in reading order. */
export async function textLines(target, imageUrl, lines) {
  const { canvas, g, scale } = await canvasWith(imageUrl);
  canvas.dataset.view = 'text-lines';
  canvas.dataset.lines = String(lines.length);
  g.lineWidth = Math.max(2, Math.round(canvas.width / 300));
  g.font = `${Math.max(12, Math.round(canvas.width / 60))}px sans-serif`;
  lines.forEach((line, i) => {
    const colour = COLOURS[i % COLOURS.length];
    g.strokeStyle = colour;
    g.beginPath();
    line.box.forEach(([x, y], k) => (k === 0 ? g.moveTo(x * scale, y * scale) : g.lineTo(x * scale, y * scale)));
    g.closePath();
    g.stroke();
    g.fillStyle = colour;
    g.fillText(String(i + 1), line.box[0][0] * scale, Math.max(12, line.box[0][1] * scale - 2));
  });
  target.append(canvas);
  const list = el('ol', 'text-lines');
  lines.forEach((line) => list.append(el('li', '', `${line.text}  (${line.score.toFixed(2)})`)));
  target.append(lines.length ? list : el('p', 'muted', 'No text found.'));
}

/** Each class's mask (a PNG, 255 where the class is) laid over the picture in its own colour. */
export async function segmentation(target, imageUrl, segments) {
  const { canvas, g } = await canvasWith(imageUrl);
  canvas.dataset.view = 'segmentation';
  canvas.dataset.masks = String(segments.length);
  const legend = el('div', 'legend');
  for (const [i, segment] of segments.entries()) {
    const mask = await loadImage(`data:image/png;base64,${segment.mask}`);
    const layer = document.createElement('canvas');
    layer.width = canvas.width;
    layer.height = canvas.height;
    const lg = layer.getContext('2d');
    lg.drawImage(mask, 0, 0, canvas.width, canvas.height);
    const pixels = lg.getImageData(0, 0, layer.width, layer.height);
    const colour = COLOURS[i % COLOURS.length];
    const [r, gr, b] = [1, 3, 5].map((k) => parseInt(colour.slice(k, k + 2), 16));
    for (let p = 0; p < pixels.data.length; p += 4) {
      const on = pixels.data[p] > 127;
      pixels.data[p] = r; pixels.data[p + 1] = gr; pixels.data[p + 2] = b;
      pixels.data[p + 3] = on ? 110 : 0;
    }
    lg.putImageData(pixels, 0, 0);
    g.drawImage(layer, 0, 0);
    const item = el('span', 'legend-item');
    const swatch = el('span', 'swatch');
    swatch.style.background = colour;
    item.append(swatch, segment.label);
    legend.append(item);
  }
  target.append(canvas, legend);
}

export function transcript(target, answer) {
  const text = el('p', 'transcript', answer.text);
  text.dataset.view = 'transcript';
  target.append(text);
  if (answer.chunks?.length) {
    const chunks = el('div', 'chunks');
    for (const chunk of answer.chunks) {
      const c = el('span', 'chunk', chunk.text);
      const [start, end] = chunk.timestamp;
      // a Whisper-style model's last segment may lack its closing timestamp
      const time = (t) => (t === null ? '…' : t.toFixed(2));
      c.append(el('small', '', `${time(start)}–${time(end)} s`));
      chunks.append(c);
    }
    target.append(chunks);
  }
}

// Speech segments as a timeline of the clip (its length from the player, else the last end) and a
// list of start–end times.
export function speechSegments(target, segments, clipSeconds) {
  const seconds = Math.max(Number.isFinite(clipSeconds) ? clipSeconds : 0, ...segments.map((s) => s.end), 0.001);
  const line = el('div', 'timeline');
  line.dataset.view = 'segments';
  for (const segment of segments) {
    const bar = el('span', 'speech');
    bar.style.left = `${(100 * segment.start) / seconds}%`;
    bar.style.width = `${Math.max(0.3, (100 * (segment.end - segment.start)) / seconds)}%`;
    line.append(bar);
  }
  const list = el('ol', 'segments');
  for (const segment of segments) {
    list.append(el('li', 'segment', `${segment.start.toFixed(2)}–${segment.end.toFixed(2)} s`));
  }
  const summary = el('p', 'muted', segments.length ? `${segments.length} stretch(es) of speech` : 'no speech found');
  target.append(summary, line, list);
}

export function table(target, editor, answer) {
  target.append(el('p', 'answer-line', `Answer: “${answer.answer}”${answer.aggregator && answer.aggregator !== 'NONE' ? ` (${answer.aggregator} of the cells)` : ''}`));
  editor.table.querySelectorAll('td.hit').forEach((c) => c.classList.remove('hit'));
  for (const [row, column] of answer.coordinates) {
    editor.table.tBodies[0].rows[row]?.cells[column]?.classList.add('hit');
  }
  const note = el('p', 'muted', `${answer.coordinates.length} cell(s) chosen, highlighted in the table above.`);
  note.dataset.view = 'table';
  target.append(note);
}

export function vector(target, values) {
  const norm = Math.sqrt(values.reduce((s, x) => s + x * x, 0));
  const p = el('p', 'vector', `${values.length} dimensions, L2 norm ${norm.toFixed(4)}: [${values.slice(0, 8).map((x) => x.toFixed(4)).join(', ')}${values.length > 8 ? ', …' : ''}]`);
  p.dataset.view = 'vector';
  target.append(p);
}

/**
 * Several texts' embeddings as their cosine similarity matrix, each cell shaded by its value (the
 * texts' vectors are normalised here, so that unnormalised models compare the same way).
 */
export function similarity(target, texts, vectors) {
  if (vectors.length === 1) {
    vector(target, vectors[0]);
    return;
  }
  const unit = vectors.map((v) => {
    const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
    return v.map((x) => x / norm);
  });
  const table = el('table', 'similarity');
  table.dataset.view = 'similarity';
  const head = el('tr');
  head.append(el('th'));
  texts.forEach((t, i) => head.append(el('th', '', `${i + 1}`)));
  table.append(head);
  unit.forEach((a, i) => {
    const row = el('tr');
    row.append(el('th', 'label', `${i + 1}. ${texts[i]}`));
    unit.forEach((b) => {
      const cosine = a.reduce((s, x, k) => s + x * b[k], 0);
      const cell = el('td', 'cosine', cosine.toFixed(3));
      cell.style.background = `rgba(30, 136, 229, ${Math.max(0, cosine).toFixed(3)})`;
      row.append(cell);
    });
    table.append(row);
  });
  target.append(table);
  target.append(el('p', 'muted', `${vectors[0].length} dimensions`));
}

export function generatedText(target, items) {
  for (const item of items) {
    const box = el('div', 'generated', item.generated_text);
    box.dataset.view = 'generated';
    target.append(box);
  }
}

/** A box that streamed tokens are appended to, after the prompt. */
export function streamBox(target, prompt) {
  const box = el('div', 'generated');
  box.dataset.view = 'stream';
  box.append(el('span', 'prompt', prompt));
  const out = el('span', 'completion');
  box.append(out);
  target.append(box);
  return { append: (text) => out.append(text), done: (reason) => { box.dataset.finish = reason || ''; } };
}
