// What each task asks for and how its answer is shown. A task is: inputs (widgets built fresh
// for each model), request (the body sent to /v1/models/{model}/predict, and the media file it
// carries, if any) and render (the answer drawn into the result area).
import { checkbox, line, live, media, number, select, tableEditor, textArea } from './inputs.js';
import * as show from './results.js';

const labelsOf = (answer) => (Array.isArray(answer[0]) ? answer[0] : answer);
const lines = (text) => text.split('\n').map((t) => t.trim()).filter(Boolean);
const param = (values, ...names) => Object.fromEntries(names.filter((n) => values[n] !== undefined && values[n] !== '').map((n) => [n, values[n]]));

const image = (parameters = {}) => ({
  inputs: () => ({ image: media('image', 'image'), ...parameters }),
  request: (v) => ({ body: { inputs: v.image.base64, parameters: param(v, ...Object.keys(parameters)) }, media: v.image }),
});

const audio = (parameters = {}) => ({
  inputs: () => ({ audio: media('audio', 'audio'), ...parameters }),
  request: (v) => ({ body: { inputs: v.audio.base64, parameters: param(v, ...Object.keys(parameters)) }, media: v.audio }),
});

export const TASKS = {
  'text-classification': {
    inputs: () => ({
      text: textArea('text', 'Text', 'a fast vector graphics editor'),
      text_pair: line('text_pair', 'Second text (optional: classifies the pair)'),
      top_k: number('top_k', 'top_k', 5),
    }),
    request: (v) => ({ body: { inputs: v.text_pair ? { text: v.text, text_pair: v.text_pair } : v.text, parameters: param(v, 'top_k') } }),
    render: (target, answer) => show.bars(target, labelsOf(answer)),
  },
  'token-classification': {
    inputs: () => ({
      text: textArea('text', 'Text', 'My name is Clara and I live in Berkeley, California.'),
      aggregation_strategy: select('aggregation_strategy', 'Aggregation', ['simple', 'first', 'average', 'max', 'none'], 'simple'),
    }),
    request: (v) => ({ body: { inputs: v.text, parameters: param(v, 'aggregation_strategy') } }),
    render: (target, answer, v) => show.entities(target, v.text, answer),
  },
  'question-answering': {
    inputs: () => ({
      question: line('question', 'Question', 'Where does Clara live?'),
      context: textArea('context', 'Context', 'My name is Clara and I live in Berkeley, California. I work on model serving.', 5),
      top_k: number('top_k', 'top_k', 1),
    }),
    request: (v) => ({ body: { inputs: { question: v.question, context: v.context }, parameters: param(v, 'top_k') } }),
    render: (target, answer, v) => show.answerInContext(target, v.context, answer),
  },
  'fill-mask': {
    inputs: () => ({
      text: textArea('text', 'Text with the tokenizer\'s mask token ([MASK] for BERT, <mask> for RoBERTa)', 'The capital of France is [MASK].'),
      top_k: number('top_k', 'top_k', 5),
    }),
    request: (v) => ({ body: { inputs: v.text, parameters: param(v, 'top_k') } }),
    render: (target, answer) => show.bars(target, labelsOf(answer).map((a) => ({ label: a.token_str, score: a.score }))),
  },
  'zero-shot-classification': {
    inputs: () => ({
      text: textArea('text', 'Text', 'The new graphics card renders twice as fast.'),
      candidate_labels: line('candidate_labels', 'Candidate labels (comma-separated)', 'technology, sports, politics'),
      multi_label: checkbox('multi_label', 'several labels may be true (multi_label)'),
    }),
    request: (v) => ({ body: { inputs: v.text, parameters: param(v, 'candidate_labels', 'multi_label') } }),
    render: (target, answer) => show.bars(target, answer.labels.map((label, i) => ({ label, score: answer.scores[i] }))),
  },
  'multiple-choice': {
    inputs: () => ({
      question: line('question', 'Question', 'The cat sat on the'),
      choices: textArea('choices', 'Choices (one per line)', 'mat\nmoon\nequation', 3),
    }),
    request: (v) => ({ body: { inputs: { question: v.question, choices: v.choices.split('\n').map((c) => c.trim()).filter(Boolean) } } }),
    render: (target, answer) => show.bars(target, answer.map((a) => ({ label: a.choice, score: a.score }))),
  },
  'feature-extraction': {
    inputs: () => ({
      texts: textArea('texts', 'Texts, one per line: their cosine similarities', 'A man is eating food.\nA man is eating a piece of bread.\nThe girl is carrying a baby.', 4),
      prompt_name: line('prompt_name', 'prompt_name (optional: a prompt the model declares, e.g. query)'),
    }),
    request: (v) => ({ body: { inputs: lines(v.texts), parameters: param(v, 'prompt_name') } }),
    render: (target, answer, v) => show.similarity(target, lines(v.texts), answer),
  },
  rerank: {
    inputs: () => ({
      query: line('query', 'Query', 'Can I copy the software?'),
      texts: textArea('texts', 'Documents, one per line', 'Permission is granted to copy the software\nThere is no warranty\nThe licence covers modifications', 4),
      top_n: number('top_n', 'top_n', 5),
    }),
    request: (v) => ({ body: { inputs: { query: v.query, texts: lines(v.texts) }, parameters: { ...param(v, 'top_n'), return_documents: true } } }),
    render: (target, answer) => show.bars(target, answer.map((r) => ({ label: `#${r.index} ${r.text}`, score: r.score }))),
  },
  'sparse-embedding': {
    inputs: () => ({ text: textArea('text', 'Text', 'the software is free'), top_k: number('top_k', 'top_k (largest weights)', 10) }),
    request: (v) => ({ body: { inputs: v.text, parameters: { ...param(v, 'top_k'), return_tokens: true } } }),
    render: (target, answer) => {
      const largest = Math.max(...answer.map((w) => w.value), 1e-9);
      show.bars(target, [...answer].sort((a, b) => b.value - a.value).map((w) => ({ label: `${w.token} (${w.index})`, score: w.value / largest })));
    },
  },
  'table-question-answering': {
    inputs: () => ({
      table: tableEditor('table', 'Table (click a cell to edit)', {
        Repository: ['Transformers', 'Datasets', 'Tokenizers'], Stars: ['36542', '4512', '3934'], Contributors: ['651', '77', '34'],
      }),
      query: line('query', 'Query', 'How many stars does Transformers have?'),
    }),
    request: (v) => ({ body: { inputs: { table: v.table, query: v.query } } }),
    render: (target, answer, v, widgets) => show.table(target, widgets.table, answer),
  },
  'text2text-generation': {
    inputs: () => ({
      text: textArea('text', 'Text', 'translate English to German: The house is wonderful.'),
      max_new_tokens: number('max_new_tokens', 'max_new_tokens', 20),
      num_beams: number('num_beams', 'num_beams', 1),
    }),
    request: (v) => ({ body: { inputs: v.text, parameters: param(v, 'max_new_tokens', 'num_beams') } }),
    render: (target, answer) => show.generatedText(target, answer),
  },
  'text-generation': {
    inputs: () => ({
      prompt: textArea('prompt', 'Prompt', 'Once upon a time'),
      max_tokens: number('max_tokens', 'max_tokens', 24),
      temperature: number('temperature', 'temperature (0 = greedy)', 0, 0.1),
    }),
    // streamed through the OpenAI-compatible route, so tokens appear as they are generated
    stream: (model, v) => ({ model, prompt: v.prompt, ...param(v, 'max_tokens', 'temperature') }),
  },
  'image-classification': { ...image({ top_k: number('top_k', 'top_k', 5) }), render: (target, answer) => show.bars(target, labelsOf(answer)) },
  'object-detection': {
    ...image({ threshold: number('threshold', 'threshold', 0.5, 0.05) }),
    render: (target, answer, v) => show.detections(target, v.image.url, answer),
  },
  'image-segmentation': { ...image(), render: (target, answer, v) => show.segmentation(target, v.image.url, answer) },
  'image-to-text': { ...image(), render: (target, answer) => show.generatedText(target, answer) },
  ocr: {
    ...image({ min_score: number('min_score', 'min_score (lines read less surely are left out)', 0.5, 0.05) }),
    render: (target, answer, v) => show.textLines(target, v.image.url, answer),
  },
  'visual-question-answering': {
    inputs: () => ({ image: media('image', 'image'), question: line('question', 'Question', 'What is in the picture?'), top_k: number('top_k', 'top_k', 5) }),
    request: (v) => ({ body: { inputs: { image: v.image.base64, question: v.question }, parameters: param(v, 'top_k') }, media: v.image }),
    render: (target, answer) => show.bars(target, answer.map((a) => ({ label: a.answer, score: a.score }))),
  },
  'audio-classification': { ...audio({ top_k: number('top_k', 'top_k', 5) }), render: (target, answer) => show.bars(target, labelsOf(answer)) },
  'automatic-speech-recognition': {
    ...audio({ return_timestamps: select('return_timestamps', 'Timestamps', ['word', 'char', 'segments', 'none'], 'word') }),
    // a clip to upload or record, and the microphone live over /v1/audio/stream
    inputs: (model) => ({
      ...audio({ return_timestamps: select('return_timestamps', 'Timestamps', ['word', 'char', 'segments', 'none'], 'word') }).inputs(),
      live: live(model.id),
    }),
    request: (v) => ({
      // word and char times come from CTC models' frames; segments (true) from Whisper-style models' timestamp tokens
      body: { inputs: v.audio.base64, parameters: v.return_timestamps === 'none' ? {} : { return_timestamps: v.return_timestamps === 'segments' ? true : v.return_timestamps } },
      media: v.audio,
    }),
    render: (target, answer) => show.transcript(target, answer),
  },
  'voice-activity-detection': {
    ...audio({
      threshold: number('threshold', 'threshold', 0.5, 0.05),
      min_silence_ms: number('min_silence_ms', 'min_silence_ms', 100),
      speech_pad_ms: number('speech_pad_ms', 'speech_pad_ms', 30),
    }),
    render: (target, answer) => show.speechSegments(target, answer, document.querySelector('#inputs audio')?.duration),
  },
};
