/* The proof of work a public form carries (intake/proofs.py, core/pow.py).
   Finds a counter such that SHA-256(seed || counter), the counter as 8 bytes
   big-endian, starts with the given number of zero bits, and puts it in the
   form. Our own SHA-256 of one 64-byte block; no library. It works in short
   slices so the page stays responsive, starts when the page opens (usually
   done before anyone has finished typing), and holds a submission back until
   it is done. Without JavaScript the form's wait ticket does instead. */
(function () {
  "use strict";
  var K = new Int32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ]);
  var H = new Int32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
  ]);
  var W = new Int32Array(64);
  var out = new Int32Array(2);

  /* The first two words of SHA-256(seed || hi || lo): one block of 40 bytes. */
  function firstWords(seed, hi, lo) {
    var i, a, b, c, d, e, f, g, h, x, y, t1, t2;
    for (i = 0; i < 8; i++) { W[i] = seed[i]; }
    W[8] = hi; W[9] = lo; W[10] = 0x80000000 | 0;
    W[11] = 0; W[12] = 0; W[13] = 0; W[14] = 0; W[15] = 320;
    for (i = 16; i < 64; i++) {
      x = W[i - 15]; y = W[i - 2];
      W[i] = (W[i - 16] + ((x >>> 7 | x << 25) ^ (x >>> 18 | x << 14) ^ (x >>> 3)) +
        W[i - 7] + ((y >>> 17 | y << 15) ^ (y >>> 19 | y << 13) ^ (y >>> 10))) | 0;
    }
    a = H[0]; b = H[1]; c = H[2]; d = H[3]; e = H[4]; f = H[5]; g = H[6]; h = H[7];
    for (i = 0; i < 64; i++) {
      t1 = (h + ((e >>> 6 | e << 26) ^ (e >>> 11 | e << 21) ^ (e >>> 25 | e << 7)) +
        ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
      t2 = (((a >>> 2 | a << 30) ^ (a >>> 13 | a << 19) ^ (a >>> 22 | a << 10)) +
        ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    out[0] = (H[0] + a) | 0; out[1] = (H[1] + b) | 0;
    return out;
  }

  function solved(words, bits) {
    if (bits <= 0) { return true; }
    if (bits <= 32) { return (words[0] >>> (32 - bits)) === 0; }
    return words[0] === 0 && (words[1] >>> (64 - bits)) === 0;
  }

  function seedWords(hex) {
    var seed = new Int32Array(8), i;
    for (i = 0; i < 8; i++) { seed[i] = parseInt(hex.substr(i * 8, 8), 16) | 0; }
    return seed;
  }

  /* Calls done(counter) when found; works about 40 ms at a time. */
  function solve(hex, bits, done) {
    var seed = seedWords(hex), counter = 0;
    function slice() {
      var until = Date.now() + 40, n;
      for (;;) {
        for (n = 0; n < 2048; n++, counter++) {
          if (solved(firstWords(seed, Math.floor(counter / 4294967296) | 0, counter | 0), bits)) {
            done(counter);
            return;
          }
        }
        if (Date.now() >= until) { setTimeout(slice, 0); return; }
      }
    }
    slice();
  }

  function send(form, submitter) {
    if (submitter && typeof form.requestSubmit === "function") {
      form.requestSubmit(submitter);
      return;
    }
    if (submitter && submitter.name) {
      var carried = document.createElement("input");
      carried.type = "hidden"; carried.name = submitter.name; carried.value = submitter.value;
      form.appendChild(carried);
    }
    form.submit();
  }

  function arm(challenge) {
    var form = challenge.form;
    if (!form || challenge.hasAttribute("data-proof-armed")) { return; }
    challenge.setAttribute("data-proof-armed", "");
    var answer = form.querySelector("input[name=pow_solution]");
    var status = form.querySelector("[data-proof-status]");
    var ready = false, waiting = false, submitter = null;
    form.addEventListener("submit", function (event) {
      if (ready) { return; }
      event.preventDefault();
      waiting = true;
      submitter = event.submitter || null;
      if (status) { status.textContent = status.getAttribute("data-proof-working"); status.hidden = false; }
    });
    solve(challenge.getAttribute("data-proof-seed"), parseInt(challenge.getAttribute("data-proof-bits"), 10), function (counter) {
      answer.value = String(counter);
      ready = true;
      if (waiting || form.hasAttribute("data-proof-autosend")) { send(form, submitter); }
    });
  }

  var challenges = document.querySelectorAll("input[name=pow_challenge][data-proof-seed]");
  for (var i = 0; i < challenges.length; i++) { arm(challenges[i]); }
}());
