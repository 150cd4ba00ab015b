import { createRequire } from "node:module";
import type * as MathJs from "mathjs";
import type { MathJsInstance, MathNode } from "mathjs";
import { UserError } from "../spec/errors.js";
import { counted } from "../text.js";
import { sigmoid } from "./sigmoid.js";
import { softplus } from "./softplus.js";

/**
 * User expressions (`--expr "x*sigmoid(1.702*x)"`), parsed and evaluated by mathjs, never
 * by eval. Only the variable x, the constants e and pi, numbers, arithmetic and a list of
 * functions (each with its number of arguments) are accepted; anything else (assignments,
 * property access, other names) is refused with the name at fault. The derivative is taken
 * symbolically by mathjs where it can; otherwise a central difference stands in, and the
 * report says so.
 *
 * mathjs parses, compiles, evaluates and differentiates by recursion, and its simplifier
 * takes time exponential in the number of terms (a sum of 25 terms took 34 s to
 * differentiate). So the text's length and its nesting are limited before it is parsed
 * (2,000 `+` terms overflowed the stack), the derivative is left unsimplified (its size is
 * then at most quadratic in the expression's), and a derivative too large to evaluate
 * cheaply is replaced by the central difference (two evaluations of f).
 */
let instance: MathJsInstance | undefined;

/**
 * mathjs, loaded on the first expression: it takes longer to load than pwlgen takes for a
 * whole unit, and most runs have no --expr. Loaded synchronously (its CommonJS build), as
 * compiling an expression is.
 */
function mathjs(): MathJsInstance {
  if (!instance) {
    const { create, all } = createRequire(import.meta.url)("mathjs") as typeof MathJs;
    instance = create(all!, { predictable: true });
    instance.import({ sigmoid, softplus }, { override: true });
  }
  return instance;
}

/** The longest expression accepted, in characters. */
export const MAX_EXPRESSION_LENGTH = 1000;
/**
 * The deepest nesting accepted: operators, calls and parentheses inside one another
 * (a + b + c is 2 levels, as mathjs nests it). Every expression shape tried (sums,
 * products, powers, nested calls, parentheses, unary minus) parsed, compiled and
 * differentiated at twice this depth on Node's default stack.
 */
export const MAX_EXPRESSION_DEPTH = 100;
/**
 * A symbolic derivative with more nodes than this costs more per input code than the
 * two evaluations of the longest accepted f that a central difference makes.
 */
const MAX_DERIVATIVE_NODES = 2 * MAX_EXPRESSION_LENGTH;

/** Functions an expression may call, with their numbers of arguments [min, max]. */
const FUNCTIONS: ReadonlyMap<string, readonly [number, number]> = new Map([
  ...["exp", "expm1", "log1p", "log2", "log10", "sqrt", "cbrt", "abs", "sign"].map(unary),
  ...["sin", "cos", "tan", "atan", "sinh", "cosh", "tanh", "asinh", "erf"].map(unary),
  ...["sigmoid", "softplus"].map(unary),
  ["log", [1, 2]], // log(x) or log(x, base)
  ["min", [1, Infinity]],
  ["max", [1, Infinity]],
  ["pow", [2, 2]],
]);
function unary(name: string): [string, readonly [number, number]] {
  return [name, [1, 1]];
}
const CONSTANTS = new Set(["x", "e", "pi"]);
const ALLOWED_NODES = new Set([
  "ConstantNode",
  "SymbolNode",
  "OperatorNode",
  "ParenthesisNode",
  "FunctionNode",
]);

export interface CompiledExpression {
  readonly text: string;
  /** f(x); a UserError if the expression gives no real number at x. */
  readonly evaluate: (x: number) => number;
  /** f'(x): symbolic when mathjs can differentiate, else a central difference. */
  readonly derivative: (x: number) => number;
  /** The derivative's formula, or undefined when it is numerical. */
  readonly derivativeText?: string;
}

export function compileExpression(text: string): CompiledExpression {
  // Long values are shown cut, with their length, by UserError itself.
  const refuse = (reason: string): UserError => new UserError("--expr", text, reason);
  if (text.trim() === "") throw refuse("is not a real-valued function of x: it is empty");
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw refuse(`is longer than the ${MAX_EXPRESSION_LENGTH} characters an expression may have`);
  }
  // Deep brackets overflow mathjs' recursive parser before the tree can be measured.
  const brackets = bracketDepth(text);
  if (brackets > MAX_EXPRESSION_DEPTH) throw refuse(tooDeep(`at least ${brackets}`));
  let node: MathNode;
  try {
    node = mathjs().parse(text);
  } catch (error) {
    throw refuse(`is not a valid expression: ${(error as Error).message}`);
  }
  const depth = treeSize(node).depth;
  if (depth > MAX_EXPRESSION_DEPTH) throw refuse(tooDeep(String(depth)));
  node.traverse((child, _path, parent) => {
    if (!ALLOWED_NODES.has(child.type)) {
      throw refuse(`uses ${describeNode(child)}, which expressions cannot contain`);
    }
    if (child.type === "FunctionNode") {
      const call = child as unknown as { fn: { name?: string }; args: MathNode[] };
      const name = call.fn.name;
      const arity = name === undefined ? undefined : FUNCTIONS.get(name);
      if (!name || !arity) {
        throw refuse(`calls unknown function ${name ?? "?"}; known: ${[...FUNCTIONS.keys()].join(", ")}`);
      }
      const [min, max] = arity;
      if (call.args.length < min || call.args.length > max) {
        throw refuse(
          `calls ${name} with ${counted(call.args.length, "argument")}; ${name} takes ${arityText(min, max)}`,
        );
      }
    } else if (child.type === "SymbolNode") {
      const name = (child as unknown as { name: string }).name;
      const isCallee =
        parent?.type === "FunctionNode" && (parent as unknown as { fn: MathNode }).fn === child;
      if (!isCallee && !CONSTANTS.has(name)) {
        throw refuse(`uses unknown name ${name}; the variable is x (constants: e, pi)`);
      }
    }
  });
  const compiled = node.compile();
  const evaluate = (x: number): number => {
    let value: unknown;
    try {
      value = compiled.evaluate({ x });
    } catch (error) {
      throw refuse(`cannot be evaluated at x = ${x}: ${(error as Error).message}`);
    }
    if (typeof value !== "number") {
      throw refuse(`is not a real-valued function of x: it gives ${describeValue(value)} at x = ${x}`);
    }
    return value;
  };
  const symbolic = symbolicDerivative(node);
  if (!symbolic) return { text, evaluate, derivative: centralDifference(evaluate) };
  const compiledDerivative = symbolic.compile();
  return {
    text,
    evaluate,
    derivative: (x) => toNumber(compiledDerivative.evaluate({ x })),
    derivativeText: symbolic.toString(),
  };
}

/**
 * mathjs' derivative, unsimplified: simplifying takes time exponential in the number of
 * terms. Undefined where mathjs cannot differentiate (erf, min, max, comparisons) or the
 * result is too large to be worth evaluating.
 */
function symbolicDerivative(node: MathNode): MathNode | undefined {
  let derivative: MathNode;
  try {
    derivative = mathjs().derivative(expandForDerivative(node), "x", { simplify: false });
  } catch {
    return undefined;
  }
  return treeSize(derivative).nodes <= MAX_DERIVATIVE_NODES ? derivative : undefined;
}

/** mathjs knows no derivative of our sigmoid and softplus: spell them out for it. */
const EXPANSIONS: Readonly<Record<string, string>> = {
  sigmoid: "1 / (1 + exp(-(u)))",
  softplus: "log(1 + exp(u))",
};

function expandForDerivative(node: MathNode): MathNode {
  return node.transform((child) => {
    if (child.type !== "FunctionNode") return child;
    const call = child as unknown as { fn: { name: string }; args: MathNode[] };
    const spelled = EXPANSIONS[call.fn.name];
    const [arg] = call.args;
    if (!spelled || !arg) return child;
    const expansion = mathjs().parse(spelled);
    // transform does not descend into a replacement: expand the argument first.
    const inner = expandForDerivative(arg);
    return expansion.transform((part) =>
      part.type === "SymbolNode" && part.toString() === "u" ? inner : part,
    );
  });
}

/** Nodes and depth of a tree, walked without recursion (the tree may be too deep for it). */
function treeSize(root: MathNode): { nodes: number; depth: number } {
  let nodes = 0;
  let depth = 0;
  const stack: [MathNode, number][] = [[root, 1]];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const [node, level] = entry;
    nodes++;
    depth = Math.max(depth, level);
    node.forEach((child) => {
      // A call's function name is a symbol, not a level of nesting.
      if (node.type !== "FunctionNode" || (node as unknown as { fn: MathNode }).fn !== child)
        stack.push([child, level + 1]);
    });
  }
  return { nodes, depth: depth - 1 };
}

/** The deepest nesting of brackets in the text. */
function bracketDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (const c of text) {
    if (c === "(" || c === "[" || c === "{") deepest = Math.max(deepest, ++depth);
    else if (c === ")" || c === "]" || c === "}") depth--;
  }
  return deepest;
}

function tooDeep(levels: string): string {
  return (
    `nests ${levels} levels deep (operators, calls and parentheses inside one another; a + b + c is 2); ` +
    `an expression may nest at most ${MAX_EXPRESSION_DEPTH}`
  );
}

function arityText(min: number, max: number): string {
  if (min === max) return counted(min, "argument");
  return max === Infinity ? `${min} or more arguments` : `${min} or ${max} arguments`;
}

function describeValue(value: unknown): string {
  if (typeof value === "boolean") return `a truth value (${value})`;
  if (typeof value === "string") return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (value === undefined || value === null) return "no value";
  return `a ${(value as { type?: string }).type ?? typeof value}`;
}

/** f'(x) by a central difference with a step near the cube root of the double epsilon. */
export function centralDifference(f: (x: number) => number): (x: number) => number {
  return (x) => {
    const h = 2 ** -17 * Math.max(1, Math.abs(x));
    return (f(x + h) - f(x - h)) / (2 * h);
  };
}

function toNumber(value: unknown): number {
  return typeof value === "number" ? value : NaN;
}

function describeNode(node: MathNode): string {
  switch (node.type) {
    case "AssignmentNode":
    case "FunctionAssignmentNode":
      return "an assignment";
    case "AccessorNode":
    case "IndexNode":
      return "indexing";
    case "ObjectNode":
    case "ArrayNode":
      return "a matrix or object";
    default:
      return `a ${node.type.replace(/Node$/, "").toLowerCase()}`;
  }
}
