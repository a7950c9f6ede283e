// End-to-end tests of the playground page (/), in Debian's Chromium driven by playwright-core.
// Run by PlaygroundIT, which starts the server on one model per task and sets:
//   INFERA_URL        the server
//   FIXTURES          src/test/resources (images, audio)
//   SCREENSHOTS_DIR   where each test's screenshot goes (target/playground-screenshots)
//   CHROMIUM          the browser (default /usr/bin/chromium)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.INFERA_URL;
const FIXTURES = process.env.FIXTURES;
const SHOTS = process.env.SCREENSHOTS_DIR;
mkdirSync(SHOTS, { recursive: true });

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // the sandbox needs user namespaces CI machines may not give; this closed network refuses
    // Chromium's background connections; the fake device stands in for a microphone
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
  });
});
after(async () => browser?.close());

/** A fresh page with the model chosen; fails on any error the page's scripts throw. */
async function open(model, t) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  t.after(async () => {
    await page.screenshot({ path: path.join(SHOTS, `${t.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`), fullPage: true });
    await page.close();
    assert.deepEqual(errors, [], 'the page threw');
  });
  await page.goto(BASE);
  await page.click(`#models li[data-model="${model}"] button`);
  await page.waitForSelector('#request:not([hidden])');
  return page;
}

async function run(page, expect = 'done') {
  await page.click('#run');
  await page.waitForSelector(`#result[data-state="${expect}"]`, { state: 'attached', timeout: 60_000 });
  return expect === 'done' ? JSON.parse(await page.textContent('#raw')) : null;
}

const fill = (page, name, value) => page.fill(`[name="${name}"]`, String(value));
const labels = (page) => page.$$eval('#result .bars .label', (spans) => spans.map((s) => s.textContent));
const upload = (page, file) => page.setInputFiles('#inputs input[type=file]', path.join(FIXTURES, file));

/** Runs the page's curl command in a shell and returns its JSON answer. */
function runCurl(command, cwd) {
  return JSON.parse(execFileSync('bash', ['-c', command], { cwd, encoding: 'utf8' }));
}

test('the model list shows each model with its task and state, failures with their reason', async (t) => {
  const page = await browser.newPage();
  t.after(() => page.close());
  await page.goto(BASE);
  await page.waitForSelector('#models li[data-model]');
  assert.equal(await page.textContent('#models li[data-model="package-topics"] .task'), 'text-classification');
  assert.equal(await page.textContent('#models li[data-model="package-topics"] .state'), 'READY');
  assert.equal(await page.textContent('#models li[data-model="broken-onnx"] .state'), 'FAILED');
  assert.match(await page.textContent('#models li[data-model="broken-onnx"] .reason'), /ONNX Runtime cannot load/);
  await page.screenshot({ path: path.join(SHOTS, 'model-list.png'), fullPage: true });
});

test('the chosen model\'s card: licence, what it was trained on, its measured results and its text', async (t) => {
  const page = await open('package-topics', t);
  await page.waitForSelector('#model-card:not([hidden])');
  const facts = await page.$$eval('#card-facts dt, #card-facts dd', (items) => items.map((i) => i.textContent));
  assert.ok(facts.includes('licence'), facts.join(' | '));
  assert.ok(facts.includes('debian-package-descriptions'), facts.join(' | '));
  assert.ok(facts.some((f) => f.startsWith('accuracy')) && facts.includes('0.776'), facts.join(' | '));
  assert.match(await page.textContent('#card-text'), /\*\*Measured\*\*/);
});

test('text-classification: label bars, and the curl command gives the same answer', async (t) => {
  const page = await open('package-topics', t);
  await fill(page, 'text', 'a fast vector graphics editor');
  await fill(page, 'top_k', 3);
  const answer = await run(page);
  assert.deepEqual(await labels(page), answer.map((a) => a.label));
  assert.equal(answer[0].label, 'graphics');
  assert.deepEqual(runCurl(await page.textContent('#curl')), answer);
});

test('token-classification: entities highlighted inline at their offsets', async (t) => {
  const page = await open('tiny-bert-ner', t);
  await page.selectOption('[name="aggregation_strategy"]', 'none');
  const answer = await run(page);
  const marks = await page.$$eval('#result mark.entity', (ms) => ms.map((m) => [m.firstChild.textContent, m.querySelector('small').textContent]));
  assert.ok(answer.length > 0, 'the tiny model tags some tokens');
  // the uncased tokenizer's words are lower case; the marks show the text as written
  assert.deepEqual(marks.map(([text, tag]) => [text.toLowerCase(), tag]), answer.map((e) => [e.word.replace(/^##/, ''), e.entity]));
});

test('question-answering: the answer highlighted in the context', async (t) => {
  const page = await open('tiny-bert-qa', t);
  const answer = await run(page);
  assert.equal(await page.textContent('#result mark.answer'), answer.answer);
  assert.match(await page.textContent('#result .answer-line'), new RegExp(answer.answer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
});

test('fill-mask: candidate tokens as bars', async (t) => {
  const page = await open('tiny-bert-mlm', t);
  const answer = await run(page);
  assert.deepEqual(await labels(page), answer.map((a) => a.token_str));
  assert.equal(answer.length, 5);
});

test('zero-shot-classification: one bar per candidate label', async (t) => {
  const page = await open('tiny-bert-nli', t);
  const answer = await run(page);
  assert.deepEqual(await labels(page), answer.labels);
  assert.deepEqual([...answer.labels].sort(), ['politics', 'sports', 'technology']);
});

test('multiple-choice: the choices ranked', async (t) => {
  const page = await open('tiny-bert-mc', t);
  const answer = await run(page);
  assert.deepEqual(await labels(page), answer.map((a) => a.choice));
  assert.deepEqual([...answer.map((a) => a.choice)].sort(), ['equation', 'mat', 'moon']);
});

test('feature-extraction: one text summarised, several as their cosine matrix', async (t) => {
  const page = await open('all-minilm-l6-v2', t);
  await fill(page, 'texts', 'A man is eating food.');
  await run(page);
  assert.match(await page.textContent('#result [data-view="vector"]'), /^384 dimensions, L2 norm 1\.0000/);
  await fill(page, 'texts', 'A man is eating food.\nA man is eating a piece of bread.\nThe girl is carrying a baby.');
  await run(page);
  const cells = await page.$$eval('#result [data-view="similarity"] td', (tds) => tds.map((td) => Number(td.textContent)));
  assert.equal(cells.length, 9);
  assert.equal(cells[0], 1);
  // the two sentences about eating are nearer to each other than to the third
  assert.ok(cells[1] > cells[2], `cosines ${cells}`);
});

test('rerank: documents ordered best first with their scores', async (t) => {
  const page = await open('tiny-cross-encoder', t);
  const answer = await run(page);
  assert.deepEqual(await labels(page), answer.map((r) => `#${r.index} ${r.text}`));
  assert.equal(answer.length, 3);
});

test('sparse-embedding: the largest token weights as bars', async (t) => {
  const page = await open('tiny-splade', t);
  const answer = await run(page);
  assert.equal(answer.length, 10);
  assert.equal((await labels(page)).length, 10);
});

test('table-question-answering: edited table, chosen cells highlighted', async (t) => {
  const page = await open('tiny-tapas', t);
  await page.click('text=+ row');
  const cells = await page.$$('table.editor tbody tr:last-child td');
  for (const [i, value] of ['Diffusers', '9000', '100'].entries()) {
    await cells[i].click();
    await page.keyboard.type(value);
  }
  const answer = await run(page);
  const hits = await page.$$eval('table.editor td.hit', (tds) => tds.map((td) => td.textContent));
  assert.equal(hits.length, answer.coordinates.length);
  assert.deepEqual(hits, answer.cells);
});

test('text2text-generation: the generated text', async (t) => {
  const page = await open('tiny-t5', t);
  const answer = await run(page);
  assert.equal(await page.textContent('#result [data-view="generated"]'), answer[0].generated_text);
});

test('text-generation: tokens streamed after the prompt', async (t) => {
  const page = await open('tiny-gpt2', t);
  await fill(page, 'max_tokens', 12);
  const answer = await run(page);
  assert.ok(answer.text.length > 0);
  assert.equal(await page.textContent('#result [data-view="stream"] .completion'), answer.text);
  assert.equal(await page.getAttribute('#result [data-view="stream"]', 'data-finish'), 'length');
  assert.match(await page.textContent('#curl'), /curl -sN .*\/v1\/completions/);
});

test('image-classification: an uploaded picture, bars, and the curl command with the file', async (t) => {
  const page = await open('fashion-mnist-cnn', t);
  await upload(page, 'images/fashion/test-00-ankle-boot.png');
  const answer = await run(page);
  assert.equal((await labels(page))[0], answer[0].label);
  assert.equal(answer[0].label, 'Ankle boot');
  assert.deepEqual(runCurl(await page.textContent('#curl'), path.join(FIXTURES, 'images/fashion')), answer);
});

test('image input by drag and drop', async (t) => {
  const page = await open('fashion-mnist-cnn', t);
  const bytes = readFileSync(path.join(FIXTURES, 'images/fashion/test-01-pullover.png')).toString('base64');
  const dataTransfer = await page.evaluateHandle((b64) => {
    const transfer = new DataTransfer();
    const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    transfer.items.add(new File([data], 'dropped.png', { type: 'image/png' }));
    return transfer;
  }, bytes);
  await page.dispatchEvent('#inputs .drop', 'drop', { dataTransfer });
  await page.waitForSelector('#inputs .drop img:not([hidden])');
  const answer = await run(page);
  assert.equal(answer[0].label, 'Pullover');
  assert.match(await page.textContent('#curl'), /dropped\.png/);
});

test('object-detection: boxes drawn over the picture', async (t) => {
  const page = await open('blazeface', t);
  await upload(page, 'images/astronaut.png');
  const answer = await run(page);
  assert.ok(answer.length >= 1, 'BlazeFace finds the astronaut\'s face');
  assert.equal(await page.getAttribute('#result canvas', 'data-boxes'), String(answer.length));
  // the box's left edge is drawn in the first colour (#e53935), at the box's place in the picture
  const box = answer[0].box;
  const pixel = await page.$eval('#result canvas', (c, b) => {
    const s = Number(c.dataset.scale);
    return [...c.getContext('2d').getImageData(Math.round(b.xmin * s), Math.round(((b.ymin + b.ymax) / 2) * s), 1, 1).data];
  }, box);
  assert.deepEqual(pixel.slice(0, 3), [0xe5, 0x39, 0x35]);
});

test('image-segmentation: one coloured mask per class over the picture', async (t) => {
  const page = await open('tiny-segformer', t);
  await upload(page, 'images/coffee.png');
  const answer = await run(page);
  assert.equal(await page.getAttribute('#result canvas', 'data-masks'), String(answer.length));
  assert.deepEqual(await page.$$eval('#result .legend-item', (items) => items.map((i) => i.textContent)), answer.map((s) => s.label));
});

test('image-to-text: the line read off the picture', async (t) => {
  const page = await open('ppocr-rec', t);
  await upload(page, 'images/page-line-1.png');
  const answer = await run(page);
  assert.ok(answer[0].generated_text.length > 5);
  assert.equal(await page.textContent('#result [data-view="generated"]'), answer[0].generated_text);
});

test('ocr: each line outlined on the page, the text listed in reading order', async (t) => {
  const page = await open('ocr', t);
  await upload(page, 'images/ocr-page.png');
  const answer = await run(page);
  assert.ok(answer.length >= 5, 'the rendered page has seven lines');
  assert.equal(await page.getAttribute('#result canvas', 'data-lines'), String(answer.length));
  const listed = await page.$$eval('#result ol.text-lines li', (items) => items.map((i) => i.textContent));
  assert.deepEqual(listed, answer.map((l) => `${l.text}  (${l.score.toFixed(2)})`));
  // the first line's outline starts at its top left corner, in the first colour
  const [x, y] = answer[0].box[0];
  const [, bottom] = answer[0].box[3];
  const pixel = await page.$eval('#result canvas', (c, p) => {
    const s = Number(c.dataset.scale);
    return [...c.getContext('2d').getImageData(Math.round(p.x * s), Math.round(((p.y + p.bottom) / 2) * s), 1, 1).data];
  }, { x, y, bottom });
  assert.deepEqual(pixel.slice(0, 3), [0xe5, 0x39, 0x35]);
});

test('visual-question-answering: picture and question, answers ranked', async (t) => {
  const page = await open('tiny-vilt', t);
  await upload(page, 'images/coffee.png');
  const answer = await run(page);
  assert.deepEqual(await labels(page), answer.map((a) => a.answer));
});

test('audio-classification: an uploaded clip, bars', async (t) => {
  const page = await open('tiny-wav2vec2-audio', t);
  await upload(page, 'audio/spoken-digits-1.wav');
  const answer = await run(page);
  assert.deepEqual(await labels(page), answer.map((a) => a.label));
});

test('automatic-speech-recognition: transcript with word timestamps', async (t) => {
  const page = await open('speech-digits', t);
  await upload(page, 'audio/real-five-five.wav');
  const answer = await run(page);
  assert.equal(answer.text, 'five five');
  assert.equal(await page.textContent('#result [data-view="transcript"]'), 'five five');
  const chunks = await page.$$eval('#result .chunk', (cs) => cs.map((c) => c.firstChild.textContent));
  assert.deepEqual(chunks, answer.chunks.map((c) => c.text));
});

test('automatic-speech-recognition: a clip recorded from the microphone', async (t) => {
  const page = await open('speech-digits', t);
  await page.click('[data-role="record"]');
  await page.waitForTimeout(1500);
  await page.click('[data-role="record"]');
  await page.waitForSelector('#inputs audio:not([hidden])');
  const answer = await run(page);
  assert.equal(typeof answer.text, 'string', 'the recorded WAV was accepted and transcribed');
  assert.match(await page.textContent('#curl'), /recording\.wav/);
});

test('automatic-speech-recognition: the microphone streamed live, partial text as it grows', async (t) => {
  const page = await open('speech-digits', t);
  await page.click('[data-role="live"]');
  await page.waitForSelector('[data-role="live-status"]:has-text("streaming to speech-digits")');
  // the fake microphone's tone is speech to the level detector: partial texts arrive while it lasts
  await page.waitForFunction(() => Number(document.querySelector('.live')?.dataset.partials || 0) >= 2, null, { timeout: 20000 });
  await page.click('[data-role="live"]');
  await page.waitForSelector('[data-role="live-status"]:has-text("closed 1000")', { timeout: 20000 });
});

test('voice-activity-detection: speech segments on a timeline', async (t) => {
  const page = await open('silero-vad', t);
  await upload(page, 'audio/pauses-45s.wav');
  const answer = await run(page);
  assert.ok(answer.length > 3, 'the recording has several stretches of speech');
  assert.equal(await page.$$eval('#result .timeline .speech', (bars) => bars.length), answer.length);
  const listed = await page.$$eval('#result .segments li', (items) => items.map((i) => i.textContent));
  assert.deepEqual(listed, answer.map((s) => `${s.start.toFixed(2)}–${s.end.toFixed(2)} s`));
});

test('errors are shown as the problem+json says them, naming the field', async (t) => {
  const page = await open('tiny-bert-mc', t);
  await fill(page, 'choices', '');
  await run(page, 'failed');
  assert.match(await page.textContent('#error .title'), /^400 /);
  assert.match(await page.textContent('#error .field'), /^field: /);
  assert.match(await page.textContent('#error .request_id'), /^request id: /);
});
