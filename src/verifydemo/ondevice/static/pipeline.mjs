// verifydemo's on-device embedding: the same 128 numbers as the server's, computed in the
// browser. Face box from YuNet, mapped to where dlib's HOG detector puts its box; dlib's
// 5-point landmark cascade and dlib's chip extraction (150 x 150, padding 0.25), both
// reimplemented here; dlib's face network run by onnxruntime-web (WebAssembly, one thread).
// Every file comes from the server that served this module (config.json lists them).

const HERE = new URL("./", import.meta.url);

// ------------------------------------------------------------------ small linear algebra

/** dlib's find_similarity_transform (Umeyama) for 2-D points, without reflection:
 *  returns [a, b, tx, ty] mapping (x, y) to (a x - b y + tx, b x + a y + ty). */
export function similarity(from, to) {
  const n = from.length;
  let mfx = 0, mfy = 0, mtx = 0, mty = 0;
  for (let i = 0; i < n; i++) {
    mfx += from[i][0]; mfy += from[i][1]; mtx += to[i][0]; mty += to[i][1];
  }
  mfx /= n; mfy /= n; mtx /= n; mty /= n;
  let sigma = 0, p = 0, q = 0, r = 0, s = 0;
  for (let i = 0; i < n; i++) {
    const fx = from[i][0] - mfx, fy = from[i][1] - mfy;
    const tx = to[i][0] - mtx, ty = to[i][1] - mty;
    sigma += fx * fx + fy * fy;
    p += tx * fx; q += tx * fy; r += ty * fx; s += ty * fy;
  }
  sigma /= n; p /= n; q /= n; r /= n; s /= n;
  const a = sigma !== 0 ? (p + s) / sigma : 1;
  const b = sigma !== 0 ? (r - q) / sigma : 0;
  return [a, b, mtx - (a * mfx - b * mfy), mty - (b * mfx + a * mfy)];
}

const roundHalfUp = (value) => Math.floor(value + 0.5);

// ------------------------------------------------------------------ 5-point landmarks

/** Read the packed cascade (ondevice/shape_model.py's ``pack``). */
export function readShapeModel(buffer) {
  const header = new Uint32Array(buffer, 0, 7);
  if (header[0] !== 0x56445350 || header[1] !== 1) throw new Error("not a packed landmark model");
  const [, , landmarks, levels, trees, depth, pixels] = header;
  const nodes = 2 ** depth - 1;
  let offset = 28;
  const take = (count) => {
    const array = new Float32Array(buffer, offset, count);
    offset += 4 * count;
    return array;
  };
  const model = {
    landmarks, levels, trees, depth, pixels, nodes,
    meanShape: take(2 * landmarks),
    anchors: take(levels * pixels),
    deltas: take(levels * pixels * 2),
    splits: take(levels * trees * nodes * 3),
    leaves: take(levels * trees * (nodes + 1) * 2 * landmarks),
  };
  if (offset !== buffer.byteLength) throw new Error("packed landmark model has the wrong size");
  return model;
}

/** dlib's shape_predictor on RGBA pixels: the landmarks of the face in ``box`` (dlib's
 *  rectangle: left, top, right, bottom, integers), as integer [x, y] pairs. */
export function predictLandmarks(model, rgba, width, height, box) {
  const { landmarks, levels, trees, pixels, nodes, meanShape } = model;
  const [left, top, right, bottom] = box;
  const boxWidth = right - left, boxHeight = bottom - top;
  const shape = Float32Array.from(meanShape);
  const values = new Float32Array(pixels);
  const mean = [], current = [];
  for (let k = 0; k < landmarks; k++) mean.push([meanShape[2 * k], meanShape[2 * k + 1]]);
  const leafSize = 2 * landmarks;
  for (let level = 0; level < levels; level++) {
    for (let k = 0; k < landmarks; k++) current[k] = [shape[2 * k], shape[2 * k + 1]];
    const [a, b] = similarity(mean, current);
    const m00 = Math.fround(a), m01 = Math.fround(-b), m10 = Math.fround(b), m11 = Math.fround(a);
    for (let i = 0; i < pixels; i++) {
      const at = level * pixels + i;
      const anchor = model.anchors[at];
      const dx = model.deltas[2 * at], dy = model.deltas[2 * at + 1];
      const u = Math.fround(Math.fround(Math.fround(m00 * dx) + Math.fround(m01 * dy)) + shape[2 * anchor]);
      const v = Math.fround(Math.fround(Math.fround(m10 * dx) + Math.fround(m11 * dy)) + shape[2 * anchor + 1]);
      const x = roundHalfUp(left + u * boxWidth), y = roundHalfUp(top + v * boxHeight);
      if (x >= 0 && y >= 0 && x < width && y < height) {
        const p = 4 * (y * width + x);
        values[i] = Math.floor((rgba[p] + rgba[p + 1] + rgba[p + 2]) / 3);
      } else {
        values[i] = 0;
      }
    }
    for (let t = 0; t < trees; t++) {
      const tree = level * trees + t;
      const splitBase = tree * nodes * 3;
      let node = 0;
      while (node < nodes) {
        const split = splitBase + 3 * node;
        const difference = values[model.splits[split]] - values[model.splits[split + 1]];
        node = difference > model.splits[split + 2] ? 2 * node + 1 : 2 * node + 2;
      }
      const leaf = (tree * (nodes + 1) + node - nodes) * leafSize;
      for (let k = 0; k < leafSize; k++) shape[k] += model.leaves[leaf + k];
    }
  }
  const points = [];
  for (let k = 0; k < landmarks; k++) {
    points.push([roundHalfUp(left + shape[2 * k] * boxWidth), roundHalfUp(top + shape[2 * k + 1] * boxHeight)]);
  }
  return points;
}

// ------------------------------------------------------------------ the chip

const CHIP_MEAN_FACE = [
  [0.8595674595992, 0.2134981538014],
  [0.6460604764104, 0.2289674387677],
  [0.1205750620789, 0.2137274526848],
  [0.3340850613712, 0.2290642403242],
  [0.4901123135679, 0.6277975316475],
];

/** dlib's get_face_chip_details for 5 landmarks: the chip's angle and its rectangle in the
 *  image (left, top, right, bottom; a drectangle). */
export function chipDetails(points, size = 150, padding = 0.25) {
  const from = CHIP_MEAN_FACE.map(([x, y]) => [
    ((padding + x) / (2 * padding + 1)) * size,
    ((padding + y) / (2 * padding + 1)) * size,
  ]);
  const [a, b, tx, ty] = similarity(from, points);
  const angle = Math.atan2(b, a);
  const scale = Math.hypot(a, b);
  const half = size / 2;
  const cx = a * half - b * half + tx, cy = b * half + a * half + ty;
  const extent = (size * scale - 1) / 2;
  return { angle, scale, rect: [cx - extent, cy - extent, cx + extent, cy + extent] };
}

const rectArea = ([l, t, r, b]) => (l > r || t > b ? 0 : (r - l + 1) * (b - t + 1));
const rectDown = ([l, t, r, b]) => [l / 2 - 1.25, t / 2 - 0.75, r / 2 - 1.25, b / 2 - 0.75];

/** dlib's pyramid_down<2> on an RGB image (a 5-tap Gaussian, every other row and column). */
function pyramidDown({ data, width, height }) {
  const tempWidth = Math.floor((width - 3) / 2);
  const temp = new Uint16Array(height * tempWidth * 3);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < tempWidth; c++) {
      const at = 3 * (r * width + 2 * c), out = 3 * (r * tempWidth + c);
      for (let k = 0; k < 3; k++) {
        temp[out + k] = data[at + k] + 4 * data[at + 3 + k] + 6 * data[at + 6 + k]
          + 4 * data[at + 9 + k] + data[at + 12 + k];
      }
    }
  }
  const downHeight = Math.floor((height - 3) / 2);
  const down = new Uint8Array(downHeight * tempWidth * 3);
  const row = 3 * tempWidth;
  for (let r = 2, dr = 0; r < height - 2; r += 2, dr++) {
    for (let i = 0; i < row; i++) {
      const at = r * row + i;
      down[dr * row + i] = Math.floor((temp[at - 2 * row] + 4 * temp[at - row] + 6 * temp[at]
        + 4 * temp[at + row] + temp[at + 2 * row]) / 256);
    }
  }
  return { data: down, width: tempWidth, height: downHeight };
}

/** dlib's extract_image_chip with bilinear interpolation (black outside the source) on RGBA
 *  pixels: a size x size RGB chip (Uint8Array, row by row). A face much larger than the chip
 *  is first shrunk through dlib's image pyramid, as dlib does. */
export function faceChip(rgba, width, height, points, size = 150, padding = 0.25) {
  const { angle, rect } = chipDetails(points, size, padding);
  const chipArea = size * size;
  const cos = Math.cos(angle), sin = Math.sin(angle);
  const rotateAbout = ([cx, cy], [x, y]) =>
    [cos * (x - cx) - sin * (y - cy) + cx, sin * (x - cx) + cos * (y - cy) + cy];
  const centreOf = ([l, t, r, b]) => [(l + r) / 2, (t + b) / 2];
  // How deep the pyramid goes and the part of the image it is built from (dlib's bounding_box).
  let grow = 2;
  for (let q = rectDown(rect); rectArea(q) > chipArea; q = rectDown(q)) grow = grow * 2 + 2;
  const [l, t, r, b] = rect;
  const corners = [[l, t], [r, t], [l, b], [r, b]].map((p) => rotateAbout(centreOf(rect), p));
  const xs = corners.map((p) => p[0]), ys = corners.map((p) => p[1]);
  const box = [
    Math.max(Math.min(...xs) - grow, 0), Math.max(Math.min(...ys) - grow, 0),
    Math.min(Math.max(...xs) + grow, width - 1), Math.min(Math.max(...ys) + grow, height - 1),
  ].map(roundHalfUp);
  let source = null;
  let inBox = [l - box[0], t - box[1], r - box[0], b - box[1]];
  while (rectArea(rectDown(inBox)) > chipArea) {
    if (source === null) {
      const cropWidth = box[2] - box[0] + 1, cropHeight = box[3] - box[1] + 1;
      const crop = new Uint8Array(cropWidth * cropHeight * 3);
      for (let y = 0; y < cropHeight; y++) {
        for (let x = 0; x < cropWidth; x++) {
          const from = 4 * ((y + box[1]) * width + x + box[0]), to = 3 * (y * cropWidth + x);
          crop[to] = rgba[from]; crop[to + 1] = rgba[from + 1]; crop[to + 2] = rgba[from + 2];
        }
      }
      source = { data: crop, width: cropWidth, height: cropHeight };
    }
    source = pyramidDown(source);
    inBox = rectDown(inBox);
  }
  // The source's pixels: the pyramid level, or the image seen through the box.
  const sourceWidth = source ? source.width : box[2] - box[0] + 1;
  const sourceHeight = source ? source.height : box[3] - box[1] + 1;
  const pixels = source ? source.data : rgba;
  const step = source ? 3 : 4;
  const index = source
    ? (x, y) => 3 * (y * sourceWidth + x)
    : (x, y) => 4 * ((y + box[1]) * width + x + box[0]);
  const centre = centreOf(inBox);
  const tl = rotateAbout(centre, [inBox[0], inBox[1]]);
  const tr = rotateAbout(centre, [inBox[2], inBox[1]]);
  const bl = rotateAbout(centre, [inBox[0], inBox[3]]);
  const last = size - 1;
  const ux = (tr[0] - tl[0]) / last, uy = (tr[1] - tl[1]) / last;
  const vx = (bl[0] - tl[0]) / last, vy = (bl[1] - tl[1]) / last;
  const chip = new Uint8Array(size * size * 3);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const x = tl[0] + col * ux + row * vx, y = tl[1] + col * uy + row * vy;
      const x0 = Math.floor(x), y0 = Math.floor(y);
      if (!(x0 >= 0 && y0 >= 0 && x0 + 1 < sourceWidth && y0 + 1 < sourceHeight)) continue;
      const fx = x - x0, fy = y - y0;
      const p00 = index(x0, y0), p01 = p00 + step, p10 = index(x0, y0 + 1), p11 = p10 + step;
      const out = 3 * (row * size + col);
      for (let c = 0; c < 3; c++) {
        const value = (1 - fy) * ((1 - fx) * pixels[p00 + c] + fx * pixels[p01 + c])
          + fy * ((1 - fx) * pixels[p10 + c] + fx * pixels[p11 + c]);
        chip[out + c] = value <= 0 ? 0 : value >= 255 ? 255 : Math.trunc(value);
      }
    }
  }
  return chip;
}

// ------------------------------------------------------------------ YuNet

/** Faces YuNet finds in ``source`` (anything drawImage takes) as [x, y, w, h, score] in the
 *  source's pixels, best first, after non-maximum suppression. */
async function yunetFaces(ort, session, source, width, height, settings) {
  const size = settings.detector_size;
  const scale = size / Math.max(width, height);
  const canvas = new OffscreenCanvas(size, size);
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.fillStyle = "black";
  context.fillRect(0, 0, size, size);
  context.drawImage(source, 0, 0, Math.round(width * scale), Math.round(height * scale));
  const pixels = context.getImageData(0, 0, size, size).data;
  const plane = size * size;
  const input = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    input[i] = pixels[4 * i + 2];
    input[plane + i] = pixels[4 * i + 1];
    input[2 * plane + i] = pixels[4 * i];
  }
  const outputs = await session.run({ [session.inputNames[0]]: new ort.Tensor("float32", input, [1, 3, size, size]) });
  const found = [];
  for (const stride of [8, 16, 32]) {
    const cls = outputs[`cls_${stride}`].data, obj = outputs[`obj_${stride}`].data;
    const bbox = outputs[`bbox_${stride}`].data;
    const cols = size / stride;
    for (let index = 0; index < cls.length; index++) {
      const clip = (v) => Math.min(1, Math.max(0, v));
      const score = Math.sqrt(clip(cls[index]) * clip(obj[index]));
      if (score < settings.detector_score) continue;
      const row = Math.floor(index / cols), col = index % cols;
      const cx = (col + bbox[4 * index]) * stride, cy = (row + bbox[4 * index + 1]) * stride;
      const w = Math.exp(bbox[4 * index + 2]) * stride, h = Math.exp(bbox[4 * index + 3]) * stride;
      found.push([(cx - w / 2) / scale, (cy - h / 2) / scale, w / scale, h / scale, score]);
    }
  }
  found.sort((a, b) => b[4] - a[4]);
  const kept = [];
  for (const face of found) {
    if (kept.every((other) => overlap(face, other) <= settings.detector_nms)) kept.push(face);
  }
  return kept;
}

function overlap(a, b) {
  const w = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / (a[2] * a[3] + b[2] * b[3] - w * h);
}

/** YuNet's [x, y, w, h] to where dlib's HOG detector puts its box: each side is the centre
 *  plus a fixed mix of width and height (``ondevice/box_map.py`` fits it on the demo faces). */
export function dlibBox(face, map) {
  const [x, y, w, h] = face;
  const cx = x + w / 2, cy = y + h / 2;
  const side = (centre, [kw, kh]) => roundHalfUp(centre + kw * w + kh * h);
  return [side(cx, map.left), side(cy, map.top), side(cx, map.right), side(cy, map.bottom)];
}

// ------------------------------------------------------------------ the whole pipeline

const CACHE_NAME = "verifydemo-ondevice";

async function openCache() {
  try {
    return typeof caches === "undefined" ? null : await caches.open(CACHE_NAME);
  } catch {
    return null; // no Cache Storage here (not a secure context): the HTTP cache alone
  }
}

/** The bytes of a file whose address carries its checksum: from Cache Storage if an earlier
 *  visit kept them (no request at all), else from the server, then kept. */
async function cachedBytes(cache, url) {
  const kept = cache ? await cache.match(url) : undefined;
  if (kept) return kept.arrayBuffer();
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  if (cache) {
    try {
      await cache.put(url, response.clone());
    } catch {
      // over the storage quota: the next visit asks the server (or its HTTP cache) again
    }
  }
  return response.arrayBuffer();
}

/** Drop kept files that the server no longer names (an older model or runtime). */
async function forgetOthers(cache, urls) {
  if (!cache) return;
  for (const request of await cache.keys()) {
    if (!urls.includes(request.url)) await cache.delete(request);
  }
}

/** Load the runtime and the three models from this module's server. Returns ``embed``. */
export async function loadPipeline() {
  const started = performance.now();
  const config = await (await fetch(new URL("config.json", HERE), { cache: "no-cache" })).json();
  const address = (name) => new URL(config.files[name], HERE).href;
  const ort = await import(address("ort.wasm.bundle.min.mjs"));
  const cache = await openCache();
  const kept = ["ort-wasm-simd-threaded.wasm", "yunet_s_640_640.onnx", "network.onnx", "landmarks5.bin"];
  await forgetOthers(cache, kept.map(address));
  const [wasmBytes, detectorBytes, networkBytes, landmarkBytes] = await Promise.all(
    kept.map((name) => cachedBytes(cache, address(name))),
  );
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmBinary = wasmBytes;
  const options = { executionProviders: ["wasm"], graphOptimizationLevel: "all" };
  const detector = await ort.InferenceSession.create(new Uint8Array(detectorBytes), options);
  const network = await ort.InferenceSession.create(new Uint8Array(networkBytes), options);
  const shapeModel = readShapeModel(landmarkBytes);
  const settings = config.settings;
  const loadMs = performance.now() - started;

  /** The 128 numbers of the largest face in ``source`` (an ImageBitmap, a canvas, a video
   *  frame), with what led to them; ``null`` when no face is found. */
  async function embed(source) {
    if (typeof HTMLVideoElement !== "undefined" && source instanceof HTMLVideoElement) {
      source = await createImageBitmap(source); // one frame for both the detector and the chip
    }
    const times = {};
    let mark = performance.now();
    const tick = (name) => {
      const now = performance.now();
      times[name] = now - mark;
      mark = now;
    };
    const width = source.videoWidth || source.width, height = source.videoHeight || source.height;
    const faces = await yunetFaces(ort, detector, source, width, height, settings);
    tick("detector");
    if (faces.length === 0) return null;
    const face = faces.reduce((a, b) => (b[2] * b[3] > a[2] * a[3] ? b : a));
    const box = dlibBox(face, settings.box_map);
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(source, 0, 0);
    const rgba = context.getImageData(0, 0, width, height, { colorSpace: "srgb" }).data;
    tick("pixels");
    const points = predictLandmarks(shapeModel, rgba, width, height, box);
    tick("landmarks");
    const chip = faceChip(rgba, width, height, points, settings.chip_size, settings.chip_padding);
    tick("chip");
    const size = settings.chip_size, plane = size * size;
    const input = new Float32Array(3 * plane);
    const [mr, mg, mb] = settings.mean_rgb;
    for (let i = 0; i < plane; i++) {
      input[i] = (chip[3 * i] - mr) / 256;
      input[plane + i] = (chip[3 * i + 1] - mg) / 256;
      input[2 * plane + i] = (chip[3 * i + 2] - mb) / 256;
    }
    const result = await network.run({ chips: new ort.Tensor("float32", input, [1, 3, size, size]) });
    tick("network");
    return { embedding: Array.from(result.embeddings.data), box, points, faceCount: faces.length, times };
  }

  return { embed, loadMs, config };
}
