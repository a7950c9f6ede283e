// The playground: lists the models, builds the chosen model's form from its task (tasks.js),
// sends the request, shows the answer, the error as problem+json says it, and the curl command.
import { Problem, curlFor, listModels, modelDetails, predict, streamCompletion } from './api.js';
import { streamBox } from './results.js';
import { TASKS } from './tasks.js';

const $ = (id) => document.getElementById(id);
let current = null; // { model, spec, widgets }

async function showModels() {
  const list = $('models');
  let models;
  try {
    models = await listModels();
  } catch (e) {
    list.replaceChildren(Object.assign(document.createElement('li'), { className: 'reason', textContent: e.message }));
    return;
  }
  list.replaceChildren();
  for (const model of models.sort((a, b) => a.id.localeCompare(b.id))) {
    const item = document.createElement('li');
    item.dataset.model = model.id;
    item.dataset.state = model.state;
    const pick = document.createElement('button');
    pick.type = 'button';
    pick.innerHTML = '<span class="name"></span><span class="task"></span><span class="state"></span>';
    pick.querySelector('.name').textContent = model.id;
    if (model.description) pick.title = model.description;
    pick.querySelector('.task').textContent = model.task || 'raw tensors only (/v2)';
    const state = pick.querySelector('.state');
    state.textContent = model.state;
    state.classList.add(model.state);
    if (model.reason) pick.append(Object.assign(document.createElement('span'), { className: 'reason', textContent: model.reason }));
    pick.disabled = model.state !== 'READY' || !TASKS[model.task];
    pick.addEventListener('click', () => choose(model, pick));
    item.append(pick);
    list.append(item);
  }
}

function choose(model, button) {
  document.querySelectorAll('#models button').forEach((b) => b.removeAttribute('aria-current'));
  button.setAttribute('aria-current', 'true');
  const spec = TASKS[model.task];
  const widgets = spec.inputs(model);
  current = { model, spec, widgets };
  $('welcome').hidden = true;
  $('request').hidden = false;
  $('request').dataset.task = model.task;
  $('model-title').textContent = model.id;
  $('model-meta').textContent = `${model.task} · ${model.backend} on ${model.device} · version ${model.version}`;
  $('model-description').textContent = model.description || '';
  showCard(model.id);
  $('inputs').replaceChildren(...Object.values(widgets).map((w) => w.element));
  $('outcome').hidden = true;
}

// The card's facts (licence, data, base model, measured results) and its text, shown as text, never as HTML.
async function showCard(id) {
  const box = $('model-card');
  box.hidden = true;
  let card;
  try {
    card = (await modelDetails(id)).card;
  } catch {
    return;
  }
  if (!card || current?.model.id !== id) return;
  const meta = card.metadata || {};
  const facts = [
    ['licence', meta.license === 'other' ? meta.license_name : meta.license],
    ['base model', meta.base_model],
    ['trained on', Array.isArray(meta.datasets) ? meta.datasets.join(', ') : meta.datasets],
    ['language', Array.isArray(meta.language) ? meta.language.join(', ') : meta.language],
    ['tags', Array.isArray(meta.tags) ? meta.tags.join(', ') : meta.tags],
  ];
  for (const result of (meta['model-index'] || []).flatMap((m) => m.results || [])) {
    for (const metric of result.metrics || []) facts.push([`${metric.type} (${result.dataset?.name || 'evaluation'})`, metric.value]);
  }
  $('card-facts').replaceChildren(...facts.filter(([, v]) => v !== undefined && v !== null && v !== '').flatMap(([k, v]) => [
    Object.assign(document.createElement('dt'), { textContent: k }),
    Object.assign(document.createElement('dd'), { textContent: String(v) }),
  ]));
  $('card-text').textContent = card.markdown || '';
  box.hidden = $('card-facts').childElementCount === 0 && !card.markdown;
}

async function readValues(widgets) {
  const values = {};
  for (const [name, widget] of Object.entries(widgets)) values[name] = await widget.read();
  return values;
}

function showProblem(error) {
  const box = $('error');
  box.replaceChildren();
  const body = error instanceof Problem ? error.body : { title: 'The page could not send the request', detail: error.message };
  const title = document.createElement('div');
  title.className = 'title';
  title.textContent = `${body.status ? `${body.status} ` : ''}${body.title || 'Error'}`;
  box.append(title);
  for (const [key, label] of [['detail', ''], ['field', 'field: '], ['request_id', 'request id: ']]) {
    if (body[key]) {
      const line = document.createElement('div');
      line.className = key;
      line.textContent = label + body[key];
      box.append(line);
    }
  }
  box.hidden = false;
}

async function run(event) {
  event.preventDefault();
  const { model, spec, widgets } = current;
  const result = $('result');
  result.replaceChildren();
  $('error').hidden = true;
  $('raw').textContent = '';
  $('outcome').hidden = false;
  $('run').disabled = true;
  result.dataset.state = 'running';
  try {
    const values = await readValues(widgets);
    if (spec.stream) {
      const body = spec.stream(model.id, values);
      $('curl').textContent = curlFor('/v1/completions', { ...body, stream: true }).replace("curl -s", 'curl -sN');
      const box = streamBox(result, values.prompt);
      let text = '';
      const finish = await streamCompletion(body, (piece) => { text += piece; box.append(piece); });
      box.done(finish);
      $('raw').textContent = JSON.stringify({ text, finish_reason: finish }, null, 2);
    } else {
      const { body, media } = spec.request(values);
      $('curl').textContent = curlFor(`/v1/models/${encodeURIComponent(model.id)}/predict`, body, media);
      const answer = await predict(model.id, body);
      $('raw').textContent = JSON.stringify(answer, null, 2);
      await spec.render(result, answer, values, widgets);
    }
    result.dataset.state = 'done';
  } catch (error) {
    showProblem(error);
    result.dataset.state = 'failed';
  } finally {
    $('run').disabled = false;
  }
}

$('request').addEventListener('submit', run);
$('api-key').addEventListener('change', showModels);
showModels();
