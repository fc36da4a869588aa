// Trace events as plain objects, rebuilt from the columns columns.rs writes: the common kinds
// as numbers (tag, then the fields in serde's order), their summaries end to end in one
// string, the rest as one JSON array taken in turn where the tag is 0. Building the objects
// here costs a fraction of parsing them from JSON text (columns.rs says why and how much).
// The tags are columns.rs's `Tag`.

/**
 * @param {Float64Array} nums per event: its tag, then that tag's numbers
 * @param {string} summaries the msgSent summaries, one after another
 * @param {string} rare the other events, as a JSON array
 * @param {string} types the message type names, as a JSON array
 * @returns {object[]}
 */
export function eventsFromColumns(nums, summaries, rare, types) {
  const names = JSON.parse(types);
  const others = JSON.parse(rare);
  const events = [];
  let i = 0;
  let other = 0;
  let text = 0;
  while (i < nums.length) {
    switch (nums[i]) {
      case 1: {
        const end = text + nums[i + 7];
        events.push({
          kind: 'msgSent', atMs: nums[i + 1], id: nums[i + 2], type: names[nums[i + 3]], from: nums[i + 4],
          to: nums[i + 5], term: nums[i + 6], summary: summaries.slice(text, end), deliverAtMs: nums[i + 8],
        });
        text = end;
        i += 9;
        break;
      }
      case 2:
        events.push({
          kind: 'msgDelivered', atMs: nums[i + 1], id: nums[i + 2], type: names[nums[i + 3]], from: nums[i + 4],
          to: nums[i + 5], term: nums[i + 6],
        });
        i += 7;
        break;
      case 3:
        events.push({ kind: 'entriesAppended', atMs: nums[i + 1], node: nums[i + 2], from: nums[i + 3], to: nums[i + 4] });
        i += 5;
        break;
      case 4:
        events.push({ kind: 'commitAdvanced', atMs: nums[i + 1], node: nums[i + 2], from: nums[i + 3], to: nums[i + 4] });
        i += 5;
        break;
      case 5:
        events.push({ kind: 'applied', atMs: nums[i + 1], node: nums[i + 2], index: nums[i + 3] });
        i += 4;
        break;
      case 0:
        events.push(others[other++]);
        i += 1;
        break;
      default:
        throw new Error(`unknown event tag ${nums[i]}`);
    }
  }
  return events;
}
