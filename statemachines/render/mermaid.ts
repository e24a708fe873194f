import type { State, StateMachineDefinition } from '../asl/types.js';

/** A Mermaid flowchart of a state machine: states as boxes, Parallel branches as subgraphs. */
export function aslToMermaid(definition: StateMachineDefinition): string {
  const lines = ['flowchart TD'];
  const ids = new Map<string, string>();
  const id = (name: string) => {
    let value = ids.get(name);
    if (!value) {
      value = `s${ids.size}`;
      ids.set(name, value);
    }
    return value;
  };
  const label = (name: string, state: State) => {
    const text = name.replace(/"/g, '#quot;');
    return state.Type === 'Choice'
      ? `{"${text}"}`
      : state.Type === 'Succeed' || state.Type === 'Fail'
        ? `(["${text}"])`
        : `["${text}"]`;
  };
  const walk = (machine: StateMachineDefinition, indent: string): void => {
    for (const [name, state] of Object.entries(machine.States)) {
      if (state.Type === 'Parallel') {
        lines.push(`${indent}subgraph ${id(name)} ["${name.replace(/"/g, '#quot;')}"]`);
        for (const branch of state.Branches) walk(branch, `${indent}  `);
        lines.push(`${indent}end`);
      } else {
        lines.push(`${indent}${id(name)}${label(name, state)}`);
      }
      const targets = [
        ...('Next' in state && state.Next ? [state.Next] : []),
        ...(state.Type === 'Choice' ? [...state.Choices.map((c) => c.Next), state.Default] : []),
      ];
      for (const target of targets) lines.push(`${indent}${id(name)} --> ${id(target)}`);
      if ((state.Type === 'Task' || state.Type === 'Parallel') && state.Catch) {
        for (const c of state.Catch) lines.push(`${indent}${id(name)} -. error .-> ${id(c.Next)}`);
      }
    }
  };
  walk(definition, '  ');
  return `${lines.join('\n')}\n`;
}
