;; Every frame grows its memory as far as it can and calls itself one level deeper (re-entry
;; allowed) until the call stack is full; the bottom frame loops until the gas runs out. The
;; most memory a call stack can hold at once.
(module
  (import "qnet" "qnet_get_contract_address" (func $address (param i32 i32) (result i32)))
  (import "qnet" "qnet_call" (func $call (param i32 i32 i32 i32 i32 i32 i64 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 32) "run")
  (func (export "constructor"))
  (func (export "run")
    (drop (memory.grow (i32.const 127)))
    (drop (call $address (i32.const 0) (i32.const 32)))
    (if (i32.eq
          (call $call (i32.const 0) (i32.const 32) (i32.const 3) (i32.const 0) (i32.const 0)
            (i32.const 64) (i64.const 0) (i32.const 1) (i32.const 0) (i32.const 0))
          (i32.const -9))
      (then (loop $l (br $l))))))
