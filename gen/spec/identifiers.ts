/** Verilog-2005 reserved words (IEEE 1364-2005, Annex B), which cannot name a module. */
const KEYWORDS = new Set(
  `always and assign automatic begin buf bufif0 bufif1 case casex casez cell cmos config
  deassign default defparam design disable edge else end endcase endconfig endfunction
  endgenerate endmodule endprimitive endspecify endtable endtask event for force forever
  fork function generate genvar highz0 highz1 if ifnone incdir include initial inout input
  instance integer join large liblist library localparam macromodule medium module nand
  negedge nmos nor noshowcancelled not notif0 notif1 or output parameter pmos posedge
  primitive pull0 pull1 pulldown pullup pulsestyle_onevent pulsestyle_ondetect rcmos real
  realtime reg release repeat rnmos rpmos rtran rtranif0 rtranif1 scalared showcancelled
  signed small specify specparam strong0 strong1 supply0 supply1 table task time tran
  tranif0 tranif1 tri tri0 tri1 triand trior trireg unsigned use uwire vectored wait wand
  weak0 weak1 while wire wor xnor xor`.split(/\s+/),
);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why `name` cannot be a module (and file) name, or undefined if it can. */
export function moduleNameProblem(name: string): string | undefined {
  if (!IDENTIFIER.test(name)) {
    return "is not a Verilog identifier (letters, digits and _, not starting with a digit)";
  }
  if (KEYWORDS.has(name)) return "is a Verilog keyword";
  if (name.length > 128) return "is longer than 128 characters";
  return undefined;
}
