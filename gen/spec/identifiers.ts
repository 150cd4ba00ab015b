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

/**
 * SystemVerilog (IEEE 1800-2017) adds these; tools such as Verilator read .v files with
 * them reserved, so a module cannot be named after one either.
 */
const SYSTEMVERILOG_KEYWORDS = new Set(
  `accept_on alias always_comb always_ff always_latch assert assume before bind bins binsof
  bit break byte chandle checker class clocking const constraint context continue cover
  covergroup coverpoint cross dist do endchecker endclass endclocking endgroup endinterface
  endpackage endprogram endproperty endsequence enum eventually expect export extends extern
  final first_match foreach forkjoin global iff ignore_bins illegal_bins implements implies
  import inside int interconnect interface intersect join_any join_none let local logic
  longint matches modport nettype new nexttime null package packed priority program property
  protected pure rand randc randcase randsequence ref reject_on restrict return s_always
  s_eventually s_nexttime s_until s_until_with sequence shortint shortreal soft solve static
  string strong struct super sync_accept_on sync_reject_on tagged this throughout timeprecision
  timeunit type typedef union unique unique0 until until_with untyped var virtual void
  wait_order weak wildcard with within`.split(/\s+/),
);

/**
 * Names the generated module uses inside: its ports and its signals (x..., y..., dy...,
 * valid_q, unused_...). A module named like one of them would hide or shadow it.
 */
const RESERVED = /^(x|y|dy|clk|rst|in_valid|out_valid|valid_q|segment|(x|y|dy)_\w*|unused_\w*)$/;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The longest module name both simulators take: the testbench module is `<module>_tb`, and
 * Verilator 5 replaces identifiers over 127 characters by a hash, so its --top-module is
 * not found (measured: 124 characters lint clean and pass in Icarus Verilog and Verilator,
 * 125 fail in Verilator; 128 also draw a DECLFILENAME lint warning).
 */
export const MAX_MODULE_NAME_LENGTH = 127 - "_tb".length;

/** Why `name` cannot be a module (and file) name, or undefined if it can. */
export function moduleNameProblem(name: string): string | undefined {
  if (!IDENTIFIER.test(name)) {
    return "is not a Verilog identifier (letters, digits and _, not starting with a digit)";
  }
  if (KEYWORDS.has(name)) return "is a Verilog keyword";
  if (SYSTEMVERILOG_KEYWORDS.has(name)) return "is a SystemVerilog keyword";
  if (RESERVED.test(name))
    return "is a name the generated module uses inside (x..., y..., dy..., clk, rst, valid_q, ...)";
  if (name.length > MAX_MODULE_NAME_LENGTH) {
    return (
      `is longer than the ${MAX_MODULE_NAME_LENGTH} characters a module name may have ` +
      "(its testbench <module>_tb must stay within the 127 characters Verilator keeps unhashed)"
    );
  }
  return undefined;
}
