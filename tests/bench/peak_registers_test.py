#!/usr/bin/env python3
"""Reads the machine code of the peak kernels (objdump) and checks that each timed loop is register-only: every
instruction between the loop head and its backward branch is either the kernel's multiply-accumulate with register
operands or integer loop control, and the loop holds a whole number of rounds of the expected accumulators. A spilled
chain shows up as a vmovaps/vmovdqa to or from the stack, or as a memory operand. Usage:
peak_registers_test.py OBJDUMP OBJECT_FILE...
"""
import re
import subprocess
import sys

# demangled function name fragment -> (multiply-accumulate mnemonic, register prefix, accumulators)
KERNELS = {
    "Fp32Zmm": ("vfmadd", "%zmm", 16),
    "Int8Zmm": ("vpdpbusd", "%zmm", 16),
    "Fp32Ymm": ("vfmadd", "%ymm", 12),
    "Int8Ymm": ("vpdpbusd", "%ymm", 12),
}
LOOP_CONTROL = re.compile(r"^(add|sub|inc|dec|cmp|test|lea|j[a-z]+|nop[wl]?|xchg|data16|cs)\b")
LINE = re.compile(r"^\s*([0-9a-f]+):\s+(\S+)\s*(.*)$")


def functions(objdump, objects):
    text = subprocess.run([objdump, "-d", "-C", "--no-show-raw-insn", *objects], check=True, capture_output=True,
                          text=True).stdout
    current, body = None, []
    for line in text.splitlines() + [""]:
        header = re.match(r"^[0-9a-f]+ <(.*)>:$", line)
        if header or not line.strip():
            if current and body:
                yield current, body
            current, body = (header.group(1), []) if header else (None, [])
            continue
        match = LINE.match(line.replace("{vex} ", ""))  # AVX-VNNI's VEX form is printed with a {vex} prefix
        if current and match:
            body.append((int(match.group(1), 16), match.group(2), match.group(3)))


def check(name, body, mnemonic, register, accumulators):
    loops = []
    for address, op, operands in body:
        if op.startswith("j") and op != "jmp":
            target = re.match(r"^([0-9a-f]+)", operands)
            if target and int(target.group(1), 16) < address:
                loops.append((int(target.group(1), 16), address))
    if not loops:
        return f"{name}: no backward branch found"
    start, end = max(loops, key=lambda loop: sum(1 for a, op, _ in body if loop[0] <= a <= loop[1] and
                                                   op.startswith(mnemonic)))
    macs = 0
    for address, op, operands in body:
        if not start <= address <= end:
            continue
        if op.startswith(mnemonic):
            if "(" in operands or operands.count(register) != 3:
                return f"{name}: {op} {operands} at {address:x} is not register-only"
            macs += 1
        elif not LOOP_CONTROL.match(op):
            return f"{name}: '{op} {operands}' at {address:x} inside the timed loop (a spill?)"
    if macs == 0 or macs % accumulators:
        return f"{name}: {macs} {mnemonic} in the loop, expected a multiple of {accumulators}"
    return None


def main():
    objdump, objects = sys.argv[1], sys.argv[2:]
    found, errors = set(), []
    for name, body in functions(objdump, objects):
        for key, (mnemonic, register, accumulators) in KERNELS.items():
            if f"RunChains<" in name and key in name:
                found.add(key)
                error = check(key, body, mnemonic, register, accumulators)
                if error:
                    errors.append(error)
    missing = sorted(set(KERNELS) - found)
    if missing:
        errors.append(f"kernels not found in the object code: {', '.join(missing)}")
    for error in errors:
        print(f"peak_registers_test: {error}", file=sys.stderr)
    if errors:
        sys.exit(1)
    print(f"peak_registers_test: {len(found)} kernels register-only")


if __name__ == "__main__":
    main()
