import { type MathNode, create, all } from "mathjs";
import { UserError } from "../spec/errors.js";
import { sigmoid } from "./sigmoid.js";
import { softplus } from "./softplus.js";

/**
 * User expressions (`--expr "x*sigmoid(1.702*x)"`), parsed and evaluated by mathjs, never
 * by eval. Only the variable x, the constants e and pi, numbers, arithmetic and a list of
 * functions are accepted; anything else (assignments, property access, other names) is
 * refused with the name at fault. The derivative is taken symbolically by mathjs where it
 * can; otherwise a central difference stands in, and the report says so.
 */
const math = create(all!, { predictable: true });
math.import({ sigmoid, softplus }, { override: true });

/** Functions an expression may call, with the rewrite mathjs differentiates for ours. */
const FUNCTIONS = new Set([
  "exp",
  "expm1",
  "log",
  "log1p",
  "log2",
  "log10",
  "sqrt",
  "cbrt",
  "abs",
  "sign",
  "sin",
  "cos",
  "tan",
  "atan",
  "sinh",
  "cosh",
  "tanh",
  "asinh",
  "erf",
  "min",
  "max",
  "pow",
  "sigmoid",
  "softplus",
]);
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
  readonly evaluate: (x: number) => number;
  /** f'(x): symbolic when mathjs can differentiate, else a central difference. */
  readonly derivative: (x: number) => number;
  /** The derivative's formula, or undefined when it is numerical. */
  readonly derivativeText?: string;
}

export function compileExpression(text: string): CompiledExpression {
  let node: MathNode;
  try {
    node = math.parse(text);
  } catch (error) {
    throw new UserError("--expr", text, `is not a valid expression: ${(error as Error).message}`);
  }
  node.traverse((child, _path, parent) => {
    if (!ALLOWED_NODES.has(child.type)) {
      throw new UserError("--expr", text, `uses ${describeNode(child)}, which expressions cannot contain`);
    }
    if (child.type === "FunctionNode") {
      const name = (child as unknown as { fn: { name?: string } }).fn.name;
      if (!name || !FUNCTIONS.has(name)) {
        throw new UserError(
          "--expr",
          text,
          `calls unknown function ${name ?? "?"}; known: ${[...FUNCTIONS].join(", ")}`,
        );
      }
    } else if (child.type === "SymbolNode") {
      const name = (child as unknown as { name: string }).name;
      const isCallee =
        parent?.type === "FunctionNode" && (parent as unknown as { fn: MathNode }).fn === child;
      if (!isCallee && !CONSTANTS.has(name)) {
        throw new UserError(
          "--expr",
          text,
          `uses unknown name ${name}; the variable is x (constants: e, pi)`,
        );
      }
    }
  });
  const compiled = node.compile();
  const evaluate = (x: number): number => toNumber(compiled.evaluate({ x }));
  let derivativeText: string | undefined;
  let derivative: (x: number) => number;
  try {
    const symbolic = math.derivative(expandForDerivative(node), "x");
    const compiledDerivative = symbolic.compile();
    derivativeText = symbolic.toString();
    derivative = (x) => toNumber(compiledDerivative.evaluate({ x }));
  } catch {
    derivative = centralDifference(evaluate);
  }
  return { text, evaluate, derivative, ...(derivativeText !== undefined ? { derivativeText } : {}) };
}

/** mathjs knows no derivative of our sigmoid and softplus: spell them out for it. */
function expandForDerivative(node: MathNode): MathNode {
  return node.transform((child) => {
    if (child.type !== "FunctionNode") return child;
    const call = child as unknown as { fn: { name: string }; args: MathNode[] };
    const [arg] = call.args;
    if (!arg) return child;
    if (call.fn.name === "sigmoid") return math.parse(`1 / (1 + exp(-(${arg.toString()})))`);
    if (call.fn.name === "softplus") return math.parse(`log(1 + exp(${arg.toString()}))`);
    return child;
  });
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
