// Small form behaviours as a static script, because the Content-Security-Policy allows scripts from
// this site only and no inline handlers (decision 0030).
// - <select data-autosubmit> sends its form when changed (the filters of the calendar, the policy
//   profile and the two-step reset pages); data-clear names a field emptied first (choosing another
//   region clears the school).
// - <button data-confirm="…"> asks before its form is sent (withdrawing homework or an exam filing).
document.addEventListener("change", function (event) {
  var select = event.target;
  if (!select.matches || !select.matches("select[data-autosubmit]") || !select.form) return;
  var clear = select.getAttribute("data-clear");
  if (clear && select.form.elements[clear]) select.form.elements[clear].value = "";
  select.form.submit();
});
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("[data-confirm]") : null;
  if (button && !window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
});
