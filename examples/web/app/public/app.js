// Client side: filters the rendered list as the user types. No framework, no build step.
const input = document.querySelector('#filter');
const items = [...document.querySelectorAll('#items li')];
const count = document.querySelector('#count');

input.addEventListener('input', () => {
  const query = input.value.trim().toLowerCase();
  let shown = 0;
  for (const item of items) {
    const match = item.textContent.toLowerCase().includes(query);
    item.hidden = !match;
    if (match) shown += 1;
  }
  count.textContent = `${shown} of ${items.length} shown`;
});
