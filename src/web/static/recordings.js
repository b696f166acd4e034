// Recording in the browser (issue 18), as progressive enhancement: the upload form works without it. Where
// the browser has MediaRecorder and a microphone, "Start recording" and "Stop recording" record the sound and
// put it into the form's file input, to be sent with the form as any chosen file is.
const box = document.getElementById('recorder');
const input = document.getElementById('file');
const start = document.getElementById('record-start');
const stop = document.getElementById('record-stop');
const status = document.getElementById('record-status');

function supported() {
  return box && input && start && stop && typeof window.MediaRecorder === 'function' &&
    navigator.mediaDevices && typeof navigator.mediaDevices.getUserMedia === 'function' &&
    typeof window.DataTransfer === 'function' && window.isSecureContext;
}

if (supported()) {
  box.hidden = false;
  let recorder = null;
  let chunks = [];
  start.addEventListener('click', async () => {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const type = ['audio/webm', 'audio/ogg', 'audio/mp4'].find((t) => MediaRecorder.isTypeSupported(t)) || '';
      recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
      chunks = [];
      recorder.addEventListener('dataavailable', (e) => { if (e.data.size) chunks.push(e.data); });
      recorder.addEventListener('stop', () => {
        stream.getTracks().forEach((t) => t.stop());
        const mime = (recorder.mimeType || type || 'audio/webm').split(';')[0];
        const ext = mime === 'audio/ogg' ? 'ogg' : mime === 'audio/mp4' ? 'm4a' : 'webm';
        const file = new File(chunks, `recording.${ext}`, { type: mime });
        const dt = new DataTransfer();
        dt.items.add(file);
        input.files = dt.files;
        status.textContent = 'Recorded. It will be sent when you select "Add recording".';
        start.disabled = false;
        stop.disabled = true;
      });
      recorder.start();
      status.textContent = 'Recording…';
      start.disabled = true;
      stop.disabled = false;
    } catch {
      status.textContent = 'The microphone could not be used. Choose a file instead.';
    }
  });
  stop.addEventListener('click', () => {
    if (recorder && recorder.state === 'recording') recorder.stop();
  });
}
