;; Three `if/else` per iteration (the then branch jumps over the else).
(module
  (memory (export "memory") 1)
  (func (export "constructor"))
  (func (export "run") (local i32)
    (local.set 0 (i32.const 1))
    (loop $l (if (local.get 0) (then (nop)) (else (nop))) (if (local.get 0) (then (nop)) (else (nop))) (if (local.get 0) (then (nop)) (else (nop))) (br $l))))
