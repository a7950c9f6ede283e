/**
 * CTC decoding: greedy collapse to text and word timings. Imports nothing of Infera.
 */
package io.infera.processing.ctc;
