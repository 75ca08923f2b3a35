// Mainstay's own script: loaded on every page, does nothing unless an element asks for it.

// Copy buttons: <button type="button" data-copy="#id"> copies the value (an input) or the text of
// the element it names, and says so on the button.
document.addEventListener('click', function (event) {
  var button = event.target.closest('[data-copy]');
  if (!button) {
    return;
  }
  var source = document.querySelector(button.getAttribute('data-copy'));
  if (!source) {
    return;
  }
  var text = 'value' in source ? source.value : source.textContent;
  var label = button.textContent;
  function said(message) {
    button.textContent = message;
    setTimeout(function () { button.textContent = label; }, 2000);
  }
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(function () { said('Copied'); }, function () { said('Select and copy it'); });
  } else {
    said('Select and copy it');
  }
});
