;; Calls an empty method of its own (re-entry allowed) until the gas runs out: the fixed cost of
;; a cross-contract call (a frame, its transaction, an instance, the callee's record), the
;; callee's code in the module cache.
(module
  (import "qnet" "qnet_get_contract_address" (func $address (param i32 i32) (result i32)))
  (import "qnet" "qnet_call" (func $call (param i32 i32 i32 i32 i32 i32 i64 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 32) "noop")
  (func (export "constructor"))
  (func (export "noop"))
  (func (export "run")
    (drop (call $address (i32.const 0) (i32.const 32)))
    (loop $l
      (drop (call $call (i32.const 0) (i32.const 32) (i32.const 4) (i32.const 0) (i32.const 0)
        (i32.const 64) (i64.const 0) (i32.const 1) (i32.const 0) (i32.const 0)))
      (br $l))))
